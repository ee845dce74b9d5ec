#!/bin/bash
# Test `make install`: install into staging roots (mktemp -d) and check the
# exact list of files, their modes and contents, that depmod did not run,
# that INSTALL_MOD_PATH and INSTALL_MOD_DIR move the module, and that a file
# missing from the tree fails the install before anything is installed;
# and build README.md's driver example against the staged header and
# Module.symvers.  The real system is never written to.
#
# Prints TAP and ends with `N passed, N failed`; exit status non-zero on a
# failure.  Run by `make check` after the build.  Environment: KDIR (see
# scripts/env.sh), MAKE.
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
MAKE=${MAKE:-make}

T_NUM=0 T_FAILED=0
ok() { T_NUM=$((T_NUM + 1)); echo "ok $T_NUM - $*"; }
not_ok() { T_NUM=$((T_NUM + 1)) T_FAILED=$((T_FAILED + 1)); echo "not ok $T_NUM - $*"; }
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
finish() {
	echo "1..$T_NUM"
	echo "$((T_NUM - T_FAILED)) passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ]
	exit
}

STAGES=()
trap 'rm -rf ${STAGES[@]+"${STAGES[@]}"}' EXIT
new_stage() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/cmafw-install.XXXXXX") || exit 2
	STAGES+=("$d")
	STAGE=$d
}

# install_into LOG make-variables...: make install with those variables.
install_into() {
	local log=$1
	shift
	"$MAKE" -C "$ROOT" install KDIR="$KDIR" "$@" >"$log" 2>&1
}

# same MODE INSTALLED ORIGINAL: same contents, and MODE (octal).
# shellcheck disable=SC2317 # called through check()
same() {
	cmp -s "$2" "$3" && [ "$(stat -c %a "$2")" = "$1" ]
}

# listing DIR: every file and symlink under DIR, relative, sorted.
listing() {
	(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
}

# The release as in the modules' vermagic (Debian's 6.1 headers have
# another one in include/config/kernel.release).
KREL=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h" 2>/dev/null)
if [ -z "$KREL" ]; then
	not_ok "a kernel build dir to install for (KDIR '$KDIR'): run scripts/deps.sh"
	finish
fi
VERSION=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*$/\1/p' "$ROOT/dkms.conf")

# modules_install compresses like the kernel does.
suffix=
conf=$KDIR/include/config/auto.conf
if grep -q '^CONFIG_MODULE_COMPRESS_ALL=y' "$conf"; then
	if grep -q '^CONFIG_MODULE_COMPRESS_XZ=y' "$conf"; then suffix=.xz
	elif grep -q '^CONFIG_MODULE_COMPRESS_GZIP=y' "$conf"; then suffix=.gz
	elif grep -q '^CONFIG_MODULE_COMPRESS_ZSTD=y' "$conf"; then suffix=.zst
	fi
fi
MOD=lib/modules/$KREL/extra/cmafw.ko$suffix
SRC=usr/src/cmafw-$VERSION

expected() {
	printf '%s\n' \
		"${1:-$MOD}" \
		"$SRC/Module.symvers" \
		"$SRC/include/linux/cmafw-allocator.h" \
		"$SRC/include/linux/cmafw.h" \
		usr/sbin/cmaadm \
		usr/share/man/man8/cmaadm.8 | sort
}

# --- DESTDIR -------------------------------------------------------------------

new_stage
log=$STAGE.log
STAGES+=("$log")
echo "# make install DESTDIR=$STAGE (KDIR $KDIR, version $VERSION)"
if install_into "$log" DESTDIR="$STAGE"; then
	ok "make install DESTDIR=... succeeds"
else
	not_ok "make install DESTDIR=... succeeds"
	sed 's/^/#   /' "$log" | tail -n 20
fi

got=$(listing "$STAGE")
want=$(expected)
if [ "$got" = "$want" ]; then
	ok "exactly the expected $(wc -l <<<"$want") files are installed"
else
	not_ok "exactly the expected $(wc -l <<<"$want") files are installed"
	diff <(echo "$want") <(echo "$got") | grep '^[<>] .' |
		sed 's/^</#   missing:/; s/^>/#   unexpected:/'
fi

check "no test or sample module is installed" \
	test -z "$(find "$STAGE" -name 'cmafw_*.ko*')"
check "depmod did not run in the staging root" \
	test -z "$(find "$STAGE" -name 'modules.dep*')"
check "the make output says depmod was not run" grep -q 'staged: depmod not run' "$log"

modfile=$STAGE/$MOD
if [ -f "$modfile" ]; then
	plain=$STAGE/cmafw.ko
	case $suffix in
	.xz) xz -dc "$modfile" >"$plain" ;;
	.gz) gzip -dc "$modfile" >"$plain" ;;
	.zst) zstd -qdc "$modfile" >"$plain" ;;
	*) cp "$modfile" "$plain" ;;
	esac
	check "the module is cmafw.ko as built" cmp -s "$plain" "$ROOT/kernel/cmafw.ko"
	vermagic=$(modinfo -F vermagic "$plain" 2>/dev/null | awk '{ print $1 }')
	check "it is for $KREL" test "$vermagic" = "$KREL"
	rm -f "$plain"
else
	not_ok "the module is cmafw.ko as built"
	not_ok "it is for $KREL"
fi

for h in cmafw.h cmafw-allocator.h; do
	check "include/linux/$h is installed unchanged" \
		cmp -s "$STAGE/$SRC/include/linux/$h" "$ROOT/include/linux/$h"
done
exports=$(cat "$ROOT"/kernel/*.c | grep -cE '^EXPORT_SYMBOL(_GPL)?\(')
symvers=$STAGE/$SRC/Module.symvers
if [ -f "$symvers" ] && [ "$(wc -l <"$symvers")" -eq "$exports" ] &&
	[ "$(awk '$3 ~ /\/kernel\/cmafw$/' "$symvers" | wc -l)" -eq "$exports" ]; then
	ok "Module.symvers lists the $exports exports of cmafw.ko, nothing else"
else
	not_ok "Module.symvers lists the $exports exports of cmafw.ko, nothing else"
fi
check "cmaadm is installed unchanged, mode 0755" \
	same 755 "$STAGE/usr/sbin/cmaadm" "$ROOT/tools/cmaadm/cmaadm"
check "cmaadm.8 is installed unchanged, mode 0644" \
	same 644 "$STAGE/usr/share/man/man8/cmaadm.8" "$ROOT/tools/cmaadm/cmaadm.8"

# --- the README's driver example, against the staged install --------------------

STAGE1=$STAGE
new_stage
drv=$STAGE
echo "# README.md's mydrv.c and Kbuild, built in $drv against $STAGE1/$SRC"
readme=$ROOT/README.md
# fenced LANG [WORD]: the first ```LANG block of the README (that has WORD)
fenced() {
	awk -v lang="$1" -v word="${2:-}" '
	$0 == "```" lang { f = 1; b = ""; next }
	f && $0 == "```" { if (index(b, word)) { printf "%s", b; exit } f = 0; next }
	f { b = b $0 "\n" }' "$readme"
}
fenced c module_init >"$drv/mydrv.c"
fenced make | sed "s|/usr/src/cmafw-$VERSION|$STAGE1/$SRC|" >"$drv/Kbuild"
bad_paths=$(grep -o '/usr/src/cmafw-[^/ ]*' "$readme" | grep -vx "/usr/src/cmafw-$VERSION")
check "README.md names /usr/src/cmafw-$VERSION, dkms.conf's version, only" \
	test -z "$bad_paths"
check "README.md has the example's mydrv.c" grep -q cma_alloc "$drv/mydrv.c"
check "and its Kbuild, with the installed include directory" \
	grep -q "^ccflags-y += -I$STAGE1/$SRC/include\$" "$drv/Kbuild"
if "$MAKE" -C "$KDIR" M="$drv" KBUILD_EXTRA_SYMBOLS="$STAGE1/$SRC/Module.symvers" \
	modules >"$log" 2>&1 && [ -f "$drv/mydrv.ko" ]; then
	ok "it builds, with KBUILD_EXTRA_SYMBOLS=.../Module.symvers"
else
	not_ok "it builds, with KBUILD_EXTRA_SYMBOLS=.../Module.symvers"
	sed 's/^/#   /' "$log" | tail -n 20
fi
if grep -iE 'warning|undefined' "$log" >/dev/null; then
	not_ok "without a warning"
	grep -iE 'warning|undefined' "$log" | sed 's/^/#   /'
else
	ok "without a warning"
fi
expect_depends=$(modinfo -F depends "$drv/mydrv.ko" 2>/dev/null)
check "the driver depends on cmafw" test "$expect_depends" = cmafw

# --- INSTALL_MOD_PATH and INSTALL_MOD_DIR ---------------------------------------

new_stage
echo "# make install DESTDIR=$STAGE INSTALL_MOD_PATH=/modroot INSTALL_MOD_DIR=updates"
if install_into "$log" DESTDIR="$STAGE" INSTALL_MOD_PATH=/modroot INSTALL_MOD_DIR=updates; then
	ok "make install with INSTALL_MOD_PATH and INSTALL_MOD_DIR succeeds"
else
	not_ok "make install with INSTALL_MOD_PATH and INSTALL_MOD_DIR succeeds"
	sed 's/^/#   /' "$log" | tail -n 20
fi
check "the module goes under DESTDIR/INSTALL_MOD_PATH, in INSTALL_MOD_DIR" \
	test "$(listing "$STAGE")" = \
	"$(expected "modroot/lib/modules/$KREL/updates/cmafw.ko$suffix")"

# --- DKMS: dkms.conf's own build command, run as dkms does -----------------------

new_stage
tree=$STAGE/var/lib/dkms
arch=$(uname -m)
echo "# dkms.conf's MAKE[0] in a DKMS tree under $tree, then README.md's driver"
mkdir -p "$tree/cmafw/$VERSION/build"
# What dkms.conf builds, without the build droppings of this tree.
tar -C "$ROOT" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude=Module.symvers \
	--exclude=modules.order -cf - kernel include |
	tar -x -C "$tree/cmafw/$VERSION/build"
# dkms sources dkms.conf with these set, and runs MAKE[0] in a shell.
# shellcheck disable=SC2016
if kernel_source_dir=$KDIR dkms_tree=$tree kernelver=$KREL arch=$arch \
	conf=$ROOT/dkms.conf build=$tree/cmafw/$VERSION/build bash -c '
	. "$conf" && cd "$build" && eval "${MAKE[0]}"' >"$log" 2>&1; then
	ok "dkms.conf's MAKE[0] builds cmafw.ko"
else
	not_ok "dkms.conf's MAKE[0] builds cmafw.ko"
	sed 's/^/#   /' "$log" | tail -n 20
fi
# dkms cleans the build area afterwards.
rm -rf "$tree/cmafw/$VERSION/build"
symvers=$tree/cmafw/$VERSION/$KREL/$arch/Module.symvers
check "it keeps the symbol list where README.md says, per kernel" \
	grep -qF "/var/lib/dkms/cmafw/$VERSION/\$(uname -r)/\$(uname -m)/Module.symvers modules" "$readme"
check "and the list has cmafw's exports" grep -q '[[:space:]]cmafw_alloc[[:space:]]' "$symvers"
"$MAKE" -C "$KDIR" M="$drv" clean >/dev/null 2>&1
if "$MAKE" -C "$KDIR" M="$drv" KBUILD_EXTRA_SYMBOLS="$symvers" modules >"$log" 2>&1 &&
	[ -f "$drv/mydrv.ko" ] && ! grep -iE 'warning|undefined' "$log" >/dev/null; then
	ok "README.md's driver builds against it, without a warning"
else
	not_ok "README.md's driver builds against it, without a warning"
	sed 's/^/#   /' "$log" | tail -n 20
fi

# --- a file missing from the tree ------------------------------------------------

new_stage
echo "# make install with a file missing from the tree"
if install_into "$log" DESTDIR="$STAGE" INSTALL_FILES="include/linux/cmafw.h no/such/file"; then
	not_ok "make install fails when a file to install is missing"
else
	ok "make install fails when a file to install is missing"
fi
check "it names the missing file" grep -q 'missing from the tree: no/such/file' "$log"
check "and installs nothing" test -z "$(listing "$STAGE")"

finish
