#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dma-buf heaps in a boot with swiotlb=force (scripts/check.sh runs this
# entry after each x86 kernel's suite): the kernel bounces every device's
# DMA through swiotlb, as it does in a guest with encrypted memory, so a
# device would only ever see a copy of a heap buffer, not the buffer
# shared in place.  An import is refused with EIO and one line, for a
# buffer of a carve-out region (no struct pages) and of a lend region
# (RAM, which the DMA API would bounce), and the buffers are freed.
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"
B_HEAPTEST=$CMAFW_SELFTESTS/cmafw/heap/heaptest

# b_import HEAP: the last line of heaptest import's output.
b_import() {
	"$B_HEAPTEST" import "$1" 1048576 2>&1 | tail -n 1
}

echo "TAP version 13"
section "heap imports under swiotlb=force"
check "booted with swiotlb=force" grep -qw swiotlb=force /proc/cmdline
check "cmafw loads a carve-out and a lend region" \
	load_cmafw "regions=bc=4M@$CMAFW_WIN_A;bl=128M@$CMAFW_LEND_WIN,lend"
check "the test driver loads" load_test
for b_r in bc bl; do
	log_mark
	expect_eq "$b_r: the test driver's import is refused (EIO)" \
		"$(b_import /dev/dma_heap/cmafw-$b_r)" "import: Input/output error"
	check "...with a line saying why" log_since \
		"cmafw_test_importer: cannot share the heap buffer at 0x[0-9a-f]* in place: the kernel bounces all of its DMA through swiotlb"
done
check "the buffers are gone from /proc/iomem" \
	sh -c '! grep -q "heap:heaptest" /proc/iomem'
check "both modules unload" unload_all
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
