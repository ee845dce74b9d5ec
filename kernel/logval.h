/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: a value a user wrote, quoted in one kernel log line.
 */
#ifndef _CMAFW_LOGVAL_H
#define _CMAFW_LOGVAL_H

#include <linux/types.h>

/* Bytes of a value that a log line quotes; longer ones end in "...". */
#define CMAFW_LOGVAL_MAX	40

/**
 * struct cmafw_logval - room for one quoted value, on the caller's stack.
 * @text:	the escaped value; every byte takes at most 4 ("\ooo").
 */
struct cmafw_logval {
	char text[4 * CMAFW_LOGVAL_MAX + sizeof("...")];
};

const char *cmafw_logval(struct cmafw_logval *buf, const char *val,
			 size_t len);
const char *cmafw_logval_store(struct cmafw_logval *buf, const char *page,
			       size_t count);

#endif /* _CMAFW_LOGVAL_H */
