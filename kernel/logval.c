// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: a value a user wrote, quoted in one kernel log line.
 *
 * A refusal is logged as one line whatever the refused value holds: the
 * newline that echo appends is left out, other control bytes are escaped
 * as C does ("\t", "\n", "\001") and a long value is cut, marked "...".
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "logval.h"

/**
 * cmafw_logval() - escape a value for a log line.
 * @buf:	where the text goes; it lives as long as @buf.
 * @val:	the value, not necessarily NUL-terminated.
 * @len:	its length in bytes.
 *
 * Return: @buf's text: at most CMAFW_LOGVAL_MAX bytes of @val with its
 * unprintable bytes escaped, and "..." when @val was longer.
 */
const char *cmafw_logval(struct cmafw_logval *buf, const char *val,
			 size_t len)
{
	size_t room = sizeof(buf->text) - sizeof("...");
	size_t n = min_t(size_t, len, CMAFW_LOGVAL_MAX);
	int out;

	out = string_escape_mem(val, n, buf->text, room, ESCAPE_ANY_NP, NULL);
	strscpy(buf->text + min_t(size_t, out, room), n < len ? "..." : "",
		sizeof("..."));
	return buf->text;
}

/**
 * cmafw_logval_store() - escape a value written to a store, for a log line.
 * @buf:	where the text goes; it lives as long as @buf.
 * @page:	the bytes of the write.
 * @count:	their number, a trailing newline included.
 *
 * Return: as cmafw_logval(), without one trailing newline.
 */
const char *cmafw_logval_store(struct cmafw_logval *buf, const char *page,
			       size_t count)
{
	if (count && page[count - 1] == '\n')
		count--;
	return cmafw_logval(buf, page, count);
}
