// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: kmalloc() and friends over malloc(), counted. */
#include <stdint.h>
#include <stdlib.h>
#include <linux/slab.h>
#include <linux/string.h>

long shim_nr_allocs;
long shim_live_allocs;
long shim_fail_in;

void *kmalloc(size_t size, gfp_t flags)
{
	void *ptr;

	(void)flags;
	shim_nr_allocs++;
	if (shim_fail_in > 0 && --shim_fail_in == 0)
		return NULL;
	ptr = malloc(size ? size : 1);
	if (ptr)
		shim_live_allocs++;
	return ptr;
}

void *kzalloc(size_t size, gfp_t flags)
{
	void *ptr = kmalloc(size, flags);

	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, flags);
}

void kfree(const void *ptr)
{
	if (!ptr)
		return;
	shim_live_allocs--;
	free((void *)ptr);
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *copy = kmalloc(len + 1, gfp);

	if (copy) {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}
