// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the one strict number parser behind configfs attributes and the
 * regions= module parameter.  Unlike memparse(), it refuses what it does
 * not understand and does not wrap on overflow.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "internal.h"

/**
 * cmafw_parse_size() - parse a size or an address.
 * @s:		the text; need not be NUL-terminated.
 * @len:	its length.
 * @val:	set on success.
 *
 * Accepts a decimal, "0x" hexadecimal or leading-zero octal number with
 * an optional K, M, G or T suffix (powers of 1024, either case), and
 * nothing else: no sign, blank, newline or NUL.
 *
 * Return: 0; -ERANGE when the value does not fit 64 bits; -EINVAL for
 * anything else, including text of more than 31 characters.
 */
int cmafw_parse_size(const char *s, size_t len, u64 *val)
{
	static const char suffixes[] = "KMGT";
	unsigned int shift = 0;
	const char *suffix;
	char buf[32];
	size_t i;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]))
			return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	suffix = strchr(suffixes, toupper(buf[len - 1]));
	if (suffix && *suffix) {
		shift = 10 * (suffix - suffixes + 1);
		buf[--len] = '\0';
		if (!len)
			return -EINVAL;
	}
	ret = kstrtoull(buf, 0, val);
	if (ret)
		return ret;
	if (*val > (U64_MAX >> shift))
		return -ERANGE;
	*val <<= shift;
	return 0;
}
