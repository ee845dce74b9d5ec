#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-symbols.sh OUR_SYMVERS KERNEL_SYMVERS
#
# Fails when a symbol this tree exports is also exported by the target
# kernel (its Module.symvers): the module would not load there.  Mainline
# defines cma_alloc() and friends; ours are prefixed cmafw_ for this reason.
set -eu
ours=$1
kernel=$2
[ -r "$kernel" ] || {
	echo "check-symbols: no $kernel: cannot check for clashes" >&2
	exit 1
}
clash=$(awk 'NR == FNR { k[$2] = 1; next } ($2 in k) { print $2 }' \
	"$kernel" "$ours")
if [ -n "$clash" ]; then
	echo "check-symbols: the target kernel already exports:" \
		"$(echo "$clash" | tr "\n" " ")" >&2
	echo "check-symbols: rename ours; see include/linux/cmafw.h" >&2
	exit 1
fi
echo "check-symbols: $(wc -l <"$ours") exports, no clash with $kernel"
