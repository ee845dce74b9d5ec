/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: only the type; the framework core walks the lists. */
#ifndef _SHIM_LINUX_LIST_H
#define _SHIM_LINUX_LIST_H

struct list_head {
	struct list_head *next, *prev;
};

#endif /* _SHIM_LINUX_LIST_H */
