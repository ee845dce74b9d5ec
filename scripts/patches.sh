#!/bin/bash
# `make patches`: the in-kernel series, generated from the tree.
#
# Writes a `git format-patch` series against Debian's linux-source-6.12
# (the unpacked copy in $LINUX_SRC, only read) to $PATCHES_OUT
# (default build/patches/).  The C sources and headers are the very files
# the module builds: kernel/ becomes mm/cmafw/ (kernel/Kbuild, less its
# out-of-tree block, is its Makefile), include/linux/ stays
# include/linux/.  The small tree-local glue (Kconfig text, the arch hook
# line, MAINTAINERS and kernel-parameters entries, the commit messages)
# lives in scripts/patches/.  The series is made in a scratch git repository under
# build/ that holds only the pristine files the series changes: blob ids,
# and so the patches, are the same as against the whole tree.
#
#   0001 dt-bindings: the cmafw,region binding and the "cmafw" prefix
#   0002 mm/cmafw: the framework (CONFIG_CMAFW), its guide and ABI
#   0003 mm/cmafw: boot regions, the early-region API (CONFIG_CMAFW_BOOT)
#        and its self-test (CONFIG_CMAFW_BOOT_TEST), their documentation
#   0004 x86/setup: the arch hook
#   0005 arm64: mm: the arch hook
#
# usage: scripts/patches.sh [--check]
#   --check  also apply the series with `patch -p1` to a clean copy of the
#            files it touches, with `git am` to the scratch repository's
#            base, and run checkpatch.pl --strict on every patch; prints
#            TAP and ends with `N passed, N failed`.
# scripts/patches.sh --apply DIR applies the series to the kernel tree DIR.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh" >/dev/null 2>&1
GLUE=$ROOT/scripts/patches
OUT=${PATCHES_OUT:-$BUILD_DIR/patches}
WORK=$BUILD_DIR/patches-work

die() { printf 'patches: ERROR: %s\n' "$*" >&2; exit 2; }

[ -f "$LINUX_SRC/Makefile" ] || die "no kernel source in $LINUX_SRC: run scripts/deps.sh"

if [ "${1:-}" = --apply ]; then
	[ -d "${2:-}" ] || die "--apply needs a kernel tree"
	for p in "$OUT"/0*.patch; do
		patch -p1 -s -N -d "$2" <"$p" || die "$p does not apply to $2"
	done
	exit 0
fi

# Files of the pristine tree the series changes.
TOUCHED="MAINTAINERS mm/Kconfig mm/Makefile arch/x86/kernel/setup.c
arch/arm64/mm/init.c Documentation/admin-guide/kernel-parameters.txt
Documentation/admin-guide/mm/index.rst
Documentation/devicetree/bindings/vendor-prefixes.yaml"

NAME=$(git -C "$ROOT" config user.name || echo "cmafw developers")
EMAIL=$(git -C "$ROOT" config user.email || echo "cmafw@localhost")
export GIT_AUTHOR_NAME="$NAME" GIT_AUTHOR_EMAIL="$EMAIL"
export GIT_COMMITTER_NAME="$NAME" GIT_COMMITTER_EMAIL="$EMAIL"
# Fixed dates: the same tree gives the same series.
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

g() { git -C "$WORK" "$@"; }

# One run at a time per tree: check.sh and check-builtin.sh may overlap.
mkdir -p "$BUILD_DIR"
exec 8>"$BUILD_DIR/patches.lock"
flock 8
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK" "$OUT"
g init -q
for f in $TOUCHED; do
	mkdir -p "$WORK/$(dirname "$f")"
	cp "$LINUX_SRC/$f" "$WORK/$f"
done
g add -A
g commit -q -m "linux-source-6.12 $(cat "$LINUX_SRC/.cmafw-unpacked" 2>/dev/null || true)"
BASE=$(g rev-parse HEAD)

commit() { # MSGFILE
	g add -A
	{ cat "$1"; printf '\nSigned-off-by: %s <%s>\n' "$NAME" "$EMAIL"; } | g commit -q -F -
}
# insert_before FILE REGEX TEXTFILE: TEXTFILE's lines before the first match.
insert_before() {
	awk -v re="$2" -v txt="$3" '
		!done && $0 ~ re { while ((getline l < txt) > 0) print l; done = 1 }
		{ print }
		END { if (!done) exit 1 }' "$WORK/$1" >"$WORK/$1.new" ||
		die "$1: no line matches /$2/"
	mv "$WORK/$1.new" "$WORK/$1"
}
insert_after() {
	awk -v re="$2" -v txt="$3" '
		{ print }
		!done && $0 ~ re { while ((getline l < txt) > 0) print l; done = 1 }
		END { if (!done) exit 1 }' "$WORK/$1" >"$WORK/$1.new" ||
		die "$1: no line matches /$2/"
	mv "$WORK/$1.new" "$WORK/$1"
}
tmp=$WORK/.git/glue
line() { printf '%s\n' "$@" >"$tmp"; }

BOOT_FILES="early.c early_param.c early_test.c init_fail_test.c"

# The kernel version the series is for, for resolve-version.awk.
kv=$(awk '$1 ~ /^(VERSION|PATCHLEVEL|SUBLEVEL)$/ { v = v * 256 + $3 }
	END { print v }' "$LINUX_SRC/Makefile")
# put SRC DST: copy a source file in, its version checks resolved.
put() {
	awk -v kv="$kv" -f "$GLUE/resolve-version.awk" "$1" >"$WORK/$2" ||
		die "$1: version checks that resolve-version.awk cannot resolve"
}

# 0001: the device tree binding, first as the DT maintainers ask.
b=Documentation/devicetree/bindings/reserved-memory/cmafw-region.yaml
mkdir -p "$WORK/$(dirname "$b")"
cp "$ROOT/$b" "$WORK/$b"
insert_before Documentation/devicetree/bindings/vendor-prefixes.yaml \
	'^  "\\^cnm,\\.\\*":$' "$GLUE/vendor-prefix.entry"
# The entry comes with its first file; the next patches add theirs.
insert_before MAINTAINERS '^CONTROL GROUP \(CGROUP\)$' "$GLUE/MAINTAINERS.entry"
commit "$GLUE/0-bindings.msg"

# 0002: the framework (kernel/*.[ch] less the build's *.mod.c).
mkdir -p "$WORK/mm/cmafw" "$WORK/include/linux"
for f in "$ROOT"/kernel/*.[ch]; do
	b=$(basename "$f")
	case " $BOOT_FILES " in *" $b "*) continue ;; esac
	case $b in *.mod.c) continue ;; esac
	put "$f" "mm/cmafw/$b"
done
# kernel/Kbuild less its out-of-tree block (from its comment to its endif).
sed '/^# Out of tree (M=)/,/^endif$/d' "$ROOT/kernel/Kbuild" >"$WORK/mm/cmafw/Makefile"
grep -q KBUILD_EXTMOD "$WORK/mm/cmafw/Makefile" &&
	die "kernel/Kbuild: its out-of-tree block was not left out"
for f in "$ROOT"/include/linux/cmafw*.h; do
	put "$f" "include/linux/$(basename "$f")"
done
cp "$GLUE/Kconfig" "$WORK/mm/cmafw/Kconfig"
insert_before MAINTAINERS '^F:\tDocumentation/devicetree/bindings/reserved-memory/cmafw-region\.yaml$' \
	"$GLUE/MAINTAINERS.docs"
insert_after MAINTAINERS '^F:\tDocumentation/devicetree/bindings/reserved-memory/cmafw-region\.yaml$' \
	"$GLUE/MAINTAINERS.code"
line 'source "mm/cmafw/Kconfig"' ''
insert_before mm/Kconfig '^config MEM_SOFT_DIRTY$' "$tmp"
# shellcheck disable=SC2016 # a make variable
echo 'obj-$(CONFIG_CMAFW) += cmafw/' >>"$WORK/mm/Makefile"
d=$WORK/Documentation
mkdir -p "$d/ABI/testing"
cp "$ROOT"/Documentation/ABI/testing/* "$d/ABI/testing/"
cp "$ROOT/Documentation/admin-guide/mm/cmafw.rst" "$d/admin-guide/mm/cmafw.rst"
line '   cmafw'
insert_after Documentation/admin-guide/mm/index.rst '^   cma_debugfs$' "$tmp"
commit "$GLUE/1-core.msg"

# 0003: boot regions, the early-region API and its self-test.
for b in $BOOT_FILES; do put "$ROOT/kernel/$b" "mm/cmafw/$b"; done
cat "$GLUE/Kconfig.boot" "$GLUE/Kconfig.test" >>"$WORK/mm/cmafw/Kconfig"
cp "$ROOT/Documentation/admin-guide/mm/cmafw-boot.rst" "$d/admin-guide/mm/cmafw-boot.rst"
line '   cmafw-boot'
insert_after Documentation/admin-guide/mm/index.rst '^   cmafw$' "$tmp"
insert_before Documentation/admin-guide/kernel-parameters.txt '^\tcma=nn' \
	"$GLUE/kernel-parameters.entry"
insert_before MAINTAINERS '^F:\tDocumentation/admin-guide/mm/cmafw.rst$' \
	"$GLUE/MAINTAINERS.boot"
commit "$GLUE/2-boot.msg"

# 0004, 0005: the arch hooks, next to dma_contiguous_reserve().
line '#include <linux/cmafw.h>'
insert_before arch/x86/kernel/setup.c '^#include <linux/console.h>$' "$tmp"
insert_after arch/x86/kernel/setup.c '^\tdma_contiguous_reserve\(' "$GLUE/arch.hook"
commit "$GLUE/3-x86.msg"
line '#include <linux/cmafw.h>'
insert_after arch/arm64/mm/init.c '^#include <linux/dma-map-ops.h>$' "$tmp"
insert_after arch/arm64/mm/init.c '^\tdma_contiguous_reserve\(' "$GLUE/arch.hook"
commit "$GLUE/4-arm64.msg"

g format-patch -q --no-signature -o "$OUT" "$BASE"
for p in "$OUT"/0*.patch; do printf 'patches: %s\n' "${p#"$OUT"/}"; done
[ "${1:-}" = --check ] || exit 0

# --- --check ---------------------------------------------------------------
pass=0 fail=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }

clean=$BUILD_DIR/patches-clean
rm -rf "$clean"
for f in $TOUCHED; do
	mkdir -p "$clean/$(dirname "$f")"
	cp "$LINUX_SRC/$f" "$clean/$f"
done
for p in "$OUT"/0*.patch; do
	if out=$(patch -p1 -N -d "$clean" <"$p" 2>&1) && ! grep -qi 'offset\|fuzz' <<<"$out"; then
		ok "patch -p1 applies $(basename "$p") cleanly"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		not_ok "patch -p1 applies $(basename "$p") cleanly"
	fi
done
if diff -r -x .git "$WORK" "$clean" >/dev/null; then
	ok "the patched files are the generated tree's"
else
	not_ok "the patched files are the generated tree's"
fi
g checkout -q -b am "$BASE"
if g am -q "$OUT"/0*.patch 2>&1 | sed 's/^/# /'; [ "${PIPESTATUS[0]}" = 0 ]; then
	ok "git am applies the series"
else
	g am --abort 2>/dev/null || true
	not_ok "git am applies the series"
fi
for p in "$OUT"/0*.patch; do
	if out=$(cd "$LINUX_SRC" && scripts/checkpatch.pl --strict --terse "$p" 2>&1); then
		ok "checkpatch --strict $(basename "$p")"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		not_ok "checkpatch --strict $(basename "$p")"
	fi
done
printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
