/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: DIV_ROUND_UP(). */
#ifndef _SHIM_LINUX_MATH_H
#define _SHIM_LINUX_MATH_H

#define DIV_ROUND_UP(n, d) ({				\
	__typeof__(d) __d = (d);			\
	((n) + __d - 1) / __d;				\
})

#endif /* _SHIM_LINUX_MATH_H */
