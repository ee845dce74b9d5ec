/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: no modules, as in a built-in kernel. */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

struct module;

#define THIS_MODULE	((struct module *)0)

#endif
