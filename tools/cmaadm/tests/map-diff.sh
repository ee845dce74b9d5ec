#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Differential test of cmaadm's map grammar and lookup (awk, in the tool)
# against the kernel's own kernel/map.c, built for userspace over
# selftests/userspace/shim/.  Host only: needs a C compiler.
#
# usage: tools/cmaadm/tests/map-diff.sh [COUNT [SEED]]
# Exit status 0 when both agree on every map: the same verdict, the same
# log line (column and wording) and the same region list for every query.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
count=${1:-3000}
seed=${2:-1}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shim=$root/selftests/userspace/shim
$CC -std=gnu11 -O1 -Wall -Wextra -Werror -I"$shim" -I"$root/include" \
	-I"$root/kernel" -o "$tmp/oracle" "$here/map-oracle.c" \
	"$root/kernel/map.c" "$shim/slab.c"

# The awk library of the tool, as the tool runs it.
sed -n "/^AWK_LIB='/,/^'\$/p" "$here/../cmaadm" | sed '1d;$d' >"$tmp/lib.awk"

queries="a b ab ba aa a/a a/b b/a a/common b/common ab/x x x/ab ?? a/ b/ab"

# Maps: random bytes over the grammar's characters, structured maps with
# a dash of corruption, and the length limit.
awk -v count="$count" -v seed="$seed" '
function hexs(s,   i, o) {
	o = ""
	for (i = 1; i <= length(s); i++)
		o = o sprintf("%02x", ORD[substr(s, i, 1)])
	return o
}
function pick(list,   a, n) {
	n = split(list, a, " ")
	return a[int(rand() * n) + 1]
}
function pattern(   p) {
	if (rand() < 0.15)
		return "/" pick("a b * ? common a? ?b")
	p = pick("a b ab a? ?b a* * ? aa ba")
	if (rand() < 0.4)
		p = p "/" pick("a b * ? common a? ?b")
	return p
}
function structured(   n, i, j, m, s) {
	n = int(rand() * 4) + 1
	s = ""
	for (i = 1; i <= n; i++) {
		m = int(rand() * 3) + 1
		for (j = 1; j <= m; j++)
			s = s (j > 1 ? "," : "") pattern()
		s = s "="
		m = int(rand() * 3) + 1
		for (j = 1; j <= m; j++)
			s = s (j > 1 ? "," : "") pick("r1 r2 r3 common r1 r2 r3 common . .. .r r@1 r#2 " long32 " " long32 "x")
		if (i < n || rand() < 0.3)
			s = s ";"
	}
	if (rand() < 0.3) {
		i = int(rand() * length(s)) + 1
		s = substr(s, 1, i - 1) pick("; , = / * ? x") substr(s, i + (rand() < 0.5))
	}
	return s
}
BEGIN {
	for (i = 1; i < 256; i++)
		ORD[sprintf("%c", i)] = i
	srand(seed)
	long32 = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"
	alpha = "a b ? * / , ; = a b = , ; . @ #"
	for (k = 0; k < count; k++) {
		if (k % 2) {
			print hexs(structured())
			continue
		}
		n = int(rand() * 14)
		s = ""
		for (i = 0; i < n; i++) {
			r = rand()
			if (r < 0.03)
				c = sprintf("%c", pick("32 10 1 127 195 169 9 160 161 255"))
			else
				c = pick(alpha)
			s = s c
		}
		print hexs(s)
	}
	print hexs("a=b\n")
	print hexs("a=b\n\n")
	print hexs("\n")
	long = "a="
	while (length(long) < 4094)
		long = long "r"
	print hexs(long)
	print hexs(long "\n")
	print hexs(long "r")
}' >"$tmp/maps"

# shellcheck disable=SC2086 # the queries are words
"$tmp/oracle" $queries <"$tmp/maps" >"$tmp/kernel"
cat >"$tmp/driver.awk" <<'AWK'
BEGIN {
	init()
	for (i = 0; i < 16; i++)
		HEX[substr("0123456789abcdef", i + 1, 1)] = i
	for (a = 1; a < ARGC; a++)
		Q[a] = ARGV[a]
	NQ = ARGC - 1
	ARGC = 1
}
{
	t = ""
	for (i = 1; i < length($0); i += 2)
		t = t sprintf("%c", HEX[substr($0, i, 1)] * 16 + HEX[substr($0, i + 1, 1)])
	if (map_parse(t)) {
		print "ERR cmafw: map: column " ERRCOL ": " ERRMSG
		next
	}
	print "OK"
	for (a = 1; a <= NQ; a++) {
		q = Q[a]
		s = index(q, "/")
		p = s ? map_lookup(substr(q, 1, s - 1), substr(q, s + 1), 1) : map_lookup(q, "", 0)
		print q " -> " (p ? RREG[PRULE[p]] : "NULL")
	}
}
AWK
# shellcheck disable=SC2086
awk -f "$tmp/lib.awk" -f "$tmp/driver.awk" $queries <"$tmp/maps" >"$tmp/cmaadm"
total=$(wc -l <"$tmp/maps")
valid=$(grep -c '^OK$' "$tmp/kernel" || true)
if ! diff -u "$tmp/kernel" "$tmp/cmaadm" >"$tmp/diff"; then
	head -n 40 "$tmp/diff"
	echo "map-diff: cmaadm and kernel/map.c DISAGREE ($total maps, seed $seed)"
	exit 1
fi
echo "map-diff: cmaadm agrees with kernel/map.c on $total maps ($valid valid), seed $seed"
