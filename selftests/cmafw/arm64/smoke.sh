#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The arm64 smoke subset `make check` runs (scripts/arm64.sh run
# selftests/cmafw/arm64/smoke.sh): boot, the device tree's regions,
# per-device memory-region, one allocation per allocator, /proc/iomem,
# the heap, and lend mode on the RAM mem= leaves out; `make check-arm64`
# runs the whole suite (guest/main.sh).
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=../guest/lib.sh
. "$here/../guest/lib.sh"

echo "TAP version 13"
# shellcheck source=../guest/15-devicetree.sh
. "$here/../guest/15-devicetree.sh"
# One heap buffer once the dma-buf heap exists: its guest section then
# runs here too.  Until then, a visible skip (never counted as passed).
heap=
for f in "$here"/../guest/[0-9][0-9]-heap*.sh; do
	[ -f "$f" ] && heap=$f
done
if [ -n "$heap" ]; then
	# shellcheck disable=SC1090
	. "$heap"
else
	ok "one dma-buf heap buffer # SKIP no heap section (guest/NN-heap*.sh) in this tree yet"
fi
# shellcheck source=../guest/55-lend.sh
. "$here/../guest/55-lend.sh"
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
