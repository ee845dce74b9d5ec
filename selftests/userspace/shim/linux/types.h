/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kernel types the cmafw pure-logic files use. */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

/* 64 bits, as on any kernel with a 64-bit physical address space. */
typedef u64 dma_addr_t;

typedef u32 gfp_t;

#define __counted_by(member)

#endif /* _SHIM_LINUX_TYPES_H */
