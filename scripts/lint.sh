#!/bin/bash
# `make lint`: the style gates, each over each group of files.
#
#   * checkpatch.pl --strict --no-tree: no error, warning or check, except
#     those listed in CHECKPATCH_EXCEPTIONS below, each with its reason
#   * kernel-doc -none -Wall: no warning
#   * exports: every EXPORT_SYMBOL*()'d function has a /** kernel-doc
#     block naming it
#   * sparse, through make C=2 (every source kbuild compiles is checked,
#     rebuilt or not): no warning
#   * ShellCheck -x, with -s sh or -s bash after the shebang
#   * every device-tree binding's examples compile with dtc
#   * the ABI documents Documentation/ABI/testing/* pass the kernel's
#     scripts/get_abi.pl validate with no warning, and it finds entries in
#     every file
#
# Kernel-side groups: kernel/*.[ch], include/linux/*.h,
# selftests/cmafw/module/*.[ch], samples/*.[ch], bench/*.[ch] when present
# (generated *.mod.c left out).  Shell groups: scripts/*.sh and
# scripts/tests/*.bats, .ci/run, selftests/, tools/ (cmaadm and every *.sh
# or *.bats), demo/, bench/, and any other *.sh or *.bats in the tree.
#
# Prints one TAP line per gate and group (`# SKIP` when there is nothing to
# check, with the reason), the findings as `#` lines after a failure, and
# ends with `N passed, N failed[, N skipped]`.  Exit status non-zero when a
# gate fails.  Needs scripts/deps.sh (LINUX_SRC, KDIR, sparse, shellcheck);
# environment: see scripts/env.sh, and MAKE.
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
MAKE=${MAKE:-make}
cd "$ROOT" || exit 2

# checkpatch findings that are accepted, one "FILE TYPE" per entry (FILE
# relative to the root, TYPE as --show-types prints it), each after a
# comment that says why.  Keep them few.
CHECKPATCH_EXCEPTIONS=(
	# The class API changed in 6.4 (class_create()'s owner, the devnode
	# callback's const device) and the dma-buf vmap locking in 6.2: one
	# version check each, named in a comment, to build for 6.1 and 6.12.
	"kernel/heap.c LINUX_VERSION_CODE"
	"kernel/heap.c CONSTANT_COMPARISON"
	"selftests/cmafw/module/test_dmabuf.c LINUX_VERSION_CODE"
	"selftests/cmafw/module/test_dmabuf.c CONSTANT_COMPARISON"
	# 6.12 calls dma-iommu directly (use_dma_iommu()); 6.1 gave such a
	# device DMA ops: one version check, named in a comment.
	"kernel/heap_buf.c LINUX_VERSION_CODE"
	"kernel/heap_buf.c CONSTANT_COMPARISON"
	# 6.11 left PageOffline() pages out of what offlining subtracts from
	# the managed page count, and 6.12 has folio helpers for page types:
	# a version check each, named in a comment.  6.1 has only the page
	# helpers, whose names (__SetPageOffline()) checkpatch takes for
	# CamelCase; the in-kernel series keeps the folio ones.
	"kernel/lend_offline.c LINUX_VERSION_CODE"
	"kernel/lend_offline.c CONSTANT_COMPARISON"
	"kernel/lend_offline.c CAMELCASE"
	# checkpatch looks for DT bindings and vendor prefixes in the kernel
	# tree only; cmafw's are in this tree's Documentation/devicetree.
	"selftests/cmafw/module/test_of.c UNDOCUMENTED_DT_STRING"
)

T_NUM=0 T_PASS=0 T_FAIL=0 T_SKIP=0
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

ok() {
	T_NUM=$((T_NUM + 1)) T_PASS=$((T_PASS + 1))
	echo "ok $T_NUM - $*"
}

skip() {
	T_NUM=$((T_NUM + 1)) T_SKIP=$((T_SKIP + 1))
	echo "ok $T_NUM - $1 # SKIP $2"
}

# not_ok DESCRIPTION [FINDINGS]: findings are printed as # lines, at most
# 40 of them.
not_ok() {
	T_NUM=$((T_NUM + 1)) T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_NUM - $1"
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2" | head -n 40 | sed 's/^/#   /'
		local more
		more=$(($(printf '%s\n' "$2" | wc -l) - 40))
		[ "$more" -le 0 ] || echo "#   ... and $more more"
	fi
}

# gate DESCRIPTION FINDINGS: passes when there are no findings.
gate() {
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "$2"; fi
}

# --- the groups -------------------------------------------------------------

# files GLOB...: the files that exist, generated *.mod.c left out.
files() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		case $f in *.mod.c) continue ;; esac
		printf '%s\n' "$f"
	done
}

KGROUPS=(kernel include selftests samples bench)
declare -A KFILES=(
	[kernel]=$(files kernel/*.[ch])
	[include]=$(files include/linux/*.h)
	[selftests]=$(files selftests/cmafw/module/*.[ch] selftests/cmafw/fault/*.c)
	[samples]=$(files samples/*.[ch])
	[bench]=$(files bench/*.[ch])
)
ALL_KFILES=()
for g in "${KGROUPS[@]}"; do
	[ -z "${KFILES[$g]}" ] || mapfile -t -O "${#ALL_KFILES[@]}" ALL_KFILES <<<"${KFILES[$g]}"
done

# shfind DIR...: the *.sh and *.bats files under DIR.
shfind() {
	find "$@" \( -name '*.sh' -o -name '*.bats' \) -type f 2>/dev/null | sort
}

SGROUPS=(scripts ci selftests tools demo bench other)
declare -A SFILES=(
	[scripts]=$(files scripts/*.sh scripts/tests/*.bats)
	[ci]=$(files .ci/run)
	[selftests]=$(shfind selftests)
	[tools]=$(files tools/cmaadm/cmaadm; shfind tools)
	[demo]=$(files demo/*.sh)
	[bench]=$(shfind bench)
	[other]=$(find . \( -path ./.git -o -path ./build -o -path ./scripts -o \
		-path ./.ci -o -path ./selftests -o -path ./tools -o -path ./demo -o \
		-path ./bench \) -prune -o \( -name '*.sh' -o -name '*.bats' \) -type f \
		-print | sed 's|^\./||' | sort)
)

# nfiles LIST: "N files"
nfiles() {
	local n=0
	[ -z "$1" ] || n=$(printf '%s\n' "$1" | wc -l)
	if [ "$n" -eq 1 ]; then echo "1 file"; else echo "$n files"; fi
}

have_linux_src() {
	[ -f "$LINUX_SRC/scripts/checkpatch.pl" ] && [ -f "$LINUX_SRC/scripts/kernel-doc" ]
}

# --- checkpatch -------------------------------------------------------------

checkpatch_filter() {
	local e file type
	local -a pats=()
	for e in ${CHECKPATCH_EXCEPTIONS[@]+"${CHECKPATCH_EXCEPTIONS[@]}"}; do
		read -r file type <<<"$e"
		pats+=(-e "^$file:[0-9]*: [A-Z]*:$type:")
	done
	if [ ${#pats[@]} -eq 0 ]; then cat; else grep -v "${pats[@]}"; fi
}

for g in "${KGROUPS[@]}"; do
	desc="checkpatch --strict: $g"
	if [ -z "${KFILES[$g]}" ]; then
		skip "$desc" "no files"
		continue
	fi
	if ! have_linux_src; then
		not_ok "$desc" "no linux source in $LINUX_SRC: run scripts/deps.sh"
		continue
	fi
	mapfile -t fs <<<"${KFILES[$g]}"
	# From a scratch directory: --strict caches CamelCase names in a file
	# in the current directory, seeded from --root's include/.
	out=$(cd "$SCRATCH" && perl "$LINUX_SRC/scripts/checkpatch.pl" --strict \
		--no-tree --root="$LINUX_SRC" --terse --show-types --no-summary \
		-f "${fs[@]/#/$ROOT/}" 2>&1 | sed "s|^$ROOT/||" | checkpatch_filter)
	gate "$desc ($(nfiles "${KFILES[$g]}"))" "$out"
done

# --- kernel-doc ---------------------------------------------------------------

for g in "${KGROUPS[@]}"; do
	desc="kernel-doc -Wall: $g"
	if [ -z "${KFILES[$g]}" ]; then
		skip "$desc" "no files"
		continue
	fi
	if ! have_linux_src; then
		not_ok "$desc" "no linux source in $LINUX_SRC: run scripts/deps.sh"
		continue
	fi
	mapfile -t fs <<<"${KFILES[$g]}"
	out=$("$LINUX_SRC/scripts/kernel-doc" -none -Wall "${fs[@]}" 2>&1)
	gate "$desc ($(nfiles "${KFILES[$g]}"))" "$out"
done

# --- exported symbols are documented -------------------------------------------

# documented SYMBOL: some kernel-side file has a kernel-doc block that
# starts with "SYMBOL() -" (or "SYMBOL -").
documented() {
	awk -v s="$1" '
	BEGIN { want = "^[ \t]*(/\\*\\*|\\*)[ \t]+" s "(\\(\\))?[ \t]+-" }
	/^[ \t]*\/\*\*/ { first = 1 }
	first {
		if ($0 ~ want) { found = 1; exit }
		if ($0 !~ /^[ \t]*\/\*\*[ \t]*$/) first = 0
	}
	END { exit !found }' "${ALL_KFILES[@]}"
}

for g in "${KGROUPS[@]}"; do
	desc="exports documented: $g"
	if [ -z "${KFILES[$g]}" ]; then
		skip "$desc" "no files"
		continue
	fi
	mapfile -t fs <<<"${KFILES[$g]}"
	syms=$(grep -ohE 'EXPORT_SYMBOL(_GPL|_NS|_NS_GPL)?\([[:space:]]*[A-Za-z0-9_]+' "${fs[@]}" |
		sed 's/.*([[:space:]]*//' | sort -u)
	if [ -z "$syms" ]; then
		ok "$desc (exports nothing)"
		continue
	fi
	missing=
	for s in $syms; do
		documented "$s" || missing="$missing$s has no /** $s() - ... */ block
"
	done
	gate "$desc ($(printf '%s\n' "$syms" | wc -l) symbols)" "${missing%$'\n'}"
done

# --- sparse ---------------------------------------------------------------------

if [ -z "$KDIR" ] || [ ! -d "$KDIR" ] || ! command -v sparse >/dev/null; then
	not_ok "sparse" "no KDIR ($KDIR) or no sparse: run scripts/deps.sh"
else
	sparse_log=$SCRATCH/sparse.log
	# bench/ is a module of its own, built against cmafw.ko's exports
	sparse_ok=1
	# Counted by kbuild's CHECK lines, which "make -s lint" would silence
	# through MAKEFLAGS: the sub-makes do not inherit it.
	MAKEFLAGS='' "$MAKE" -C "$ROOT" KDIR="$KDIR" sparse >"$sparse_log" 2>&1 ||
		sparse_ok=0
	if [ "$sparse_ok" = 1 ] && [ -f bench/Kbuild ]; then
		MAKEFLAGS='' "$MAKE" -C "$KDIR" M="$ROOT/bench" C=2 modules \
			KBUILD_EXTRA_SYMBOLS="$ROOT/Module.symvers" >>"$sparse_log" 2>&1 ||
			sparse_ok=0
	fi
	# sparse and compiler findings, paths relative to the root
	findings=$(grep -E ': (warning|error):' "$sparse_log" | sed "s|^$ROOT/||")
	for g in "${KGROUPS[@]}"; do
		case $g in
		include) prefix=include/ ;;
		selftests) prefix=selftests/ ;;
		*) prefix=$g/ ;;
		esac
		if [ -z "${KFILES[$g]}" ]; then
			skip "sparse: $g" "no files"
			continue
		fi
		checked=$(grep -cE "^  CHECK +$ROOT/$prefix" "$sparse_log")
		if [ "$g" != include ] && [ "$checked" -eq 0 ]; then
			skip "sparse: $g" "kbuild compiles none of its files"
			continue
		fi
		if [ "$g" = include ]; then
			desc="sparse: $g (through the files that include it)"
		else
			desc="sparse: $g ($checked files checked)"
		fi
		gate "$desc" "$(printf '%s\n' "$findings" | grep "^$prefix")"
	done
	other=$(printf '%s\n' "$findings" |
		grep -vE '^(kernel|include|selftests|samples|bench)/' | grep .)
	gate "sparse: nothing elsewhere (kernel headers)" "$other"
	if [ "$sparse_ok" = 0 ]; then
		not_ok "sparse: the build under make C=2 failed" \
			"$(grep -vE '^  (CHECK|CC|LD|BTF|MODPOST) ' "$sparse_log" | tail -n 20)"
	fi
fi

# --- shellcheck -------------------------------------------------------------------

shell_of() {
	local first=
	IFS= read -r first <"$1"
	case $first in
	'#!'*bash*) echo bash ;;
	'#!'*/sh | '#!'*/sh\ *) echo sh ;;
	*) echo "" ;;	# a "# shellcheck shell=" directive, bats, ...
	esac
}

if ! command -v shellcheck >/dev/null; then
	not_ok "shellcheck" "shellcheck not installed: run scripts/deps.sh"
else
	for g in "${SGROUPS[@]}"; do
		desc="shellcheck: $g"
		if [ -z "${SFILES[$g]}" ]; then
			case $g in
			tools) skip "$desc" "tools/cmaadm/cmaadm is not in the tree" ;;
			*) skip "$desc" "no files" ;;
			esac
			continue
		fi
		out=
		while IFS= read -r f; do
			sh=$(shell_of "$f")
			r=$(shellcheck -x -f gcc ${sh:+-s "$sh"} "$f" 2>&1)
			[ -z "$r" ] || out+="$r"$'\n'
		done <<<"${SFILES[$g]}"
		gate "$desc ($(nfiles "${SFILES[$g]}"))" "${out%$'\n'}"
	done
fi

# --- ABI documents ---------------------------------------------------------------

abi_files=$(files Documentation/ABI/testing/*)
if [ -z "$abi_files" ]; then
	skip "abi: get_abi.pl validate" "no ABI files in Documentation/ABI/testing yet"
elif [ ! -f "$LINUX_SRC/scripts/get_abi.pl" ]; then
	not_ok "abi: get_abi.pl validate" "no $LINUX_SRC/scripts/get_abi.pl: run scripts/deps.sh"
else
	out=$(perl "$LINUX_SRC/scripts/get_abi.pl" validate --dir Documentation/ABI 2>&1)
	# every file must yield entries the parser understood
	rest=$(perl "$LINUX_SRC/scripts/get_abi.pl" rest --dir Documentation/ABI 2>/dev/null)
	whats=0
	while IFS= read -r f; do
		n=$(grep -c '^What:' "$f")
		whats=$((whats + n))
		if [ "$n" -eq 0 ]; then
			out+=$'\n'"$f: no What: entry"
		elif ! grep -q "Defined on file :ref:\`${f##*/} " <<<"$rest"; then
			out+=$'\n'"$f: get_abi.pl found no entry in it"
		fi
	done <<<"$abi_files"
	gate "abi: get_abi.pl validate ($(nfiles "$abi_files"), $whats What: lines)" \
		"$(printf '%s' "$out" | sed '/^$/d')"
fi

# --- device-tree bindings ---------------------------------------------------
# dt-schema is not in Debian bookworm: each binding's examples must at least
# compile with dtc.

dt_files=$(find Documentation/devicetree -name '*.yaml' -type f 2>/dev/null | sort)
if [ -z "$dt_files" ]; then
	skip "dt: binding examples compile" "no binding in Documentation/devicetree"
elif ! command -v dtc >/dev/null; then
	not_ok "dt: binding examples compile" "no dtc: run scripts/deps.sh"
else
	out=
	while IFS= read -r f; do
		awk '/^examples:/ { on = 1; next }
			on && /^[^ ]/ { exit }
			on && /^  - \|/ { next }
			on { sub(/^    /, ""); print }' "$f" >"$SCRATCH/example.dts"
		if [ ! -s "$SCRATCH/example.dts" ]; then
			out+="$f: no example"$'\n'
		elif ! err=$({ echo '/dts-v1/;'; cat "$SCRATCH/example.dts"; } |
			dtc -q -I dts -O dtb -o /dev/null - 2>&1); then
			out+="$f: $err"$'\n'
		fi
	done <<<"$dt_files"
	gate "dt: binding examples compile ($(nfiles "$dt_files"))" "${out%$'\n'}"
fi

echo "1..$T_NUM"
line="$T_PASS passed, $T_FAIL failed"
[ "$T_SKIP" -eq 0 ] || line="$line, $T_SKIP skipped"
echo "$line"
[ "$T_FAIL" -eq 0 ]
