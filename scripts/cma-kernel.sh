#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mainline-CMA peer kernel of `make bench-lend` (bench/lend.sh):
# Debian's amd64 kernels have CONFIG_CMA off, so this builds one from
# linux-source-6.12, without debug options, with CMA, DMA_CMA, the CMA
# dma-buf heap and memory hot(un)plug (lend mode), once, cached in
# $CMAFW_CACHE/cma-kernel/<key>/ (scripts/kernel-cache.sh: tinyconfig +
# bench/cma-kernel.config + olddefconfig, every fragment line verified).
#
# usage: scripts/cma-kernel.sh [--config-only] [--rebuild]
#   --config-only  make and verify the config, print its path, stop
#   --rebuild      throw the cached kernel for this key away first
#
# Environment: CMA_KERNEL_JOBS (make -j, default nproc).
# Progress goes to stderr; the last line on stdout is
#   OBJ KREL
# the kernel's O= directory (bzImage in arch/x86/boot/, modules installed
# under ../root/lib/modules/KREL) and its release.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"

# Bump when the way the kernel is configured or built changes: it is part
# of the cache key.
RECIPE=1
MODE=build
REBUILD=0
while [ $# -gt 0 ]; do
	case $1 in
	--config-only) MODE=config; shift ;;
	--rebuild) REBUILD=1; shift ;;
	-h|--help) sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) printf 'cma-kernel: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
	esac
done

log() { printf 'cma-kernel: %s\n' "$*" >&2; }
die() { printf 'cma-kernel: ERROR: %s\n' "$*" >&2; exit 2; }

# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh" >/dev/null
# shellcheck source=scripts/kernel-cache.sh
. "$ROOT/scripts/kernel-cache.sh"
kcache_check_tools
kcache_build cma-kernel "$ROOT/bench/cma-kernel.config" "$RECIPE" \
	"${CMA_KERNEL_JOBS:-$(nproc)}" "$MODE" "$REBUILD" >&2
if [ "$MODE" = config ]; then echo "$OBJ/.config"; exit 0; fi
printf '%s %s\n' "$OBJ" "$KREL"
