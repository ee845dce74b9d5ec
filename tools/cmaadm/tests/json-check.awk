# SPDX-License-Identifier: GPL-2.0
# json-check.awk: exit 0 when the input is exactly one valid JSON text
# (RFC 8259), else print where it goes wrong and exit 1.  For the guest,
# where only busybox awk exists.  Strings are checked for escapes and
# control characters, not for UTF-8.
#
#   awk -f json-check.awk FILE
function fail(what) {
	if (!failed)
		printf "json-check: offset %d: %s\n", pos, what > "/dev/stderr"
	failed = 1
	return 0
}
function ch() {
	return substr(buf, pos, 1)
}
function ws() {
	while (pos <= n && index(" \t\n\r", ch()))
		pos++
}
function lit(word) {
	if (substr(buf, pos, length(word)) != word)
		return fail("expected " word)
	pos += length(word)
	return 1
}
function string(   c) {
	if (ch() != "\"")
		return fail("expected a string")
	pos++
	while (pos <= n) {
		c = ch()
		if (c == "\"") {
			pos++
			return 1
		}
		if (c == "\\") {
			c = substr(buf, pos + 1, 1)
			if (index("\"\\/bfnrt", c) && c != "")
				pos += 2
			else if (c == "u" && substr(buf, pos + 2, 4) ~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/)
				pos += 6
			else
				return fail("bad escape")
			continue
		}
		if (ORD[c] < 32)
			return fail("control character in a string")
		pos++
	}
	return fail("unterminated string")
}
function number(   rest) {
	rest = substr(buf, pos, 64)
	if (!match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/))
		return fail("expected a value")
	pos += RLENGTH
	return 1
}
function value(depth,   c) {
	if (depth > 64)
		return fail("nested too deep")
	ws()
	c = ch()
	if (c == "{")
		return object(depth)
	if (c == "[")
		return array(depth)
	if (c == "\"")
		return string()
	if (c == "t")
		return lit("true")
	if (c == "f")
		return lit("false")
	if (c == "n")
		return lit("null")
	return number()
}
function object(depth) {
	pos++
	ws()
	if (ch() == "}") {
		pos++
		return 1
	}
	while (1) {
		ws()
		if (!string())
			return 0
		ws()
		if (ch() != ":")
			return fail("expected ':'")
		pos++
		if (!value(depth + 1))
			return 0
		ws()
		if (ch() == ",") {
			pos++
			continue
		}
		if (ch() == "}") {
			pos++
			return 1
		}
		return fail("expected ',' or '}'")
	}
}
function array(depth) {
	pos++
	ws()
	if (ch() == "]") {
		pos++
		return 1
	}
	while (1) {
		if (!value(depth + 1))
			return 0
		ws()
		if (ch() == ",") {
			pos++
			continue
		}
		if (ch() == "]") {
			pos++
			return 1
		}
		return fail("expected ',' or ']'")
	}
}
{
	buf = buf $0 "\n"
}
END {
	for (i = 1; i < 256; i++)
		ORD[sprintf("%c", i)] = i
	n = length(buf)
	pos = 1
	if (value(0)) {
		ws()
		if (pos <= n)
			fail("text after the value")
	}
	exit failed
}
