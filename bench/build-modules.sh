#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build cmafw.ko and bench/cmafw_bench.ko of the tree at DIR against
# $KDIR, for bench/run.sh and bench/ab.sh.  The output goes to LOG; on a
# failure its last 30 lines go to stderr too.
#
# usage: bench/build-modules.sh DIR LOG
# Exit status: 0, or 1 if a build failed.
set -uo pipefail

dir=$1
log=$2
if ! { ${MAKE:-make} -C "$dir" modules KDIR="$KDIR" &&
       ${MAKE:-make} -C "$KDIR" M="$dir/bench" \
	       KBUILD_EXTRA_SYMBOLS="$dir/Module.symvers" modules; } \
	>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	exit 1
fi
