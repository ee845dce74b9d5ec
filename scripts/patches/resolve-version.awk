# SPDX-License-Identifier: GPL-2.0
#
# Resolve `#if LINUX_VERSION_CODE <op> KERNEL_VERSION(a, b, c)` blocks for
# one kernel version (awk -v kv=$((a << 16 | b << 8 | c))): an in-tree file
# is for the version it is merged into.  Other #if blocks pass through;
# `#include <linux/version.h>` goes.
function kver(s,	n, p) {
	n = split(s, p, /[^0-9]+/)
	return p[2] * 65536 + p[3] * 256 + p[4]
}
function holds(line,	op, v) {
	match(line, /(<=|>=|==|!=|<|>)/)
	op = substr(line, RSTART, RLENGTH)
	v = kver(substr(line, index(line, "KERNEL_VERSION")))
	if (op == "<") return kv < v
	if (op == "<=") return kv <= v
	if (op == ">") return kv > v
	if (op == ">=") return kv >= v
	if (op == "==") return kv == v
	return kv != v
}
# stack: "v1"/"v0" for a resolved block (branch kept / dropped), "p" for
# one passed through.
function keep(	i) {
	for (i = 1; i <= depth; i++)
		if (st[i] == "v0") return 0
	return 1
}
/^#include <linux\/version\.h>/ { next }
/^#if.*LINUX_VERSION_CODE/ {
	if ($0 !~ /^#if LINUX_VERSION_CODE (<|>|<=|>=|==|!=) KERNEL_VERSION\([0-9]+, *[0-9]+, *[0-9]+\)$/) {
		print FILENAME ": cannot resolve: " $0 > "/dev/stderr"; bad = 1
	}
	st[++depth] = holds($0) ? "v1" : "v0"
	next
}
/^#if/ { if (keep()) print; st[++depth] = "p"; next }
/^#else/ {
	if (st[depth] == "p") { if (keep()) print; next }
	st[depth] = st[depth] == "v1" ? "v0" : "v1"
	next
}
/^#elif/ && st[depth] != "p" { print FILENAME ": cannot resolve #elif" > "/dev/stderr"; bad = 1; next }
/^#endif/ {
	if (st[depth] == "p") { depth--; if (keep()) print; next }
	depth--
	next
}
{ if (keep()) print }
END { exit bad }
