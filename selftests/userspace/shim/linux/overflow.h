/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: struct_size() without the kernel's saturation. */
#ifndef _SHIM_LINUX_OVERFLOW_H
#define _SHIM_LINUX_OVERFLOW_H

#define struct_size(p, member, count) \
	(sizeof(*(p)) + (size_t)(count) * sizeof(*(p)->member))

#endif /* _SHIM_LINUX_OVERFLOW_H */
