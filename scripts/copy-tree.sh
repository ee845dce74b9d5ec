#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: scripts/copy-tree.sh DEST
# A fresh copy of the tree in DEST, without .git, build/ or Kbuild output,
# for building its modules against another kernel (check-debug.sh,
# check-builtin.sh) without touching the work tree's own *.ko.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST=${1:?usage: copy-tree.sh DEST}
rm -rf "$DEST"
mkdir -p "$DEST"
tar -C "$ROOT" --exclude=./.git --exclude=./build --exclude='*.o' \
	--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.symvers' --exclude='*.order' \
	--exclude='.*.d' -cf - . | tar -C "$DEST" -xf -
