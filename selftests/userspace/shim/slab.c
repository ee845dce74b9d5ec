// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: kmalloc() and friends over malloc(), counted. */
#include <stdint.h>
#include <stdio.h>
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

struct kmem_cache {
	const char *name;
	unsigned int size;
	long live;
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s;

	(void)align;
	(void)flags;
	if (ctor) {
		fprintf(stderr, "shim: kmem_cache_create(%s): no ctor here\n",
			name);
		abort();
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (s) {
		s->name = name;
		s->size = size;
	}
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	if (s->live) {
		fprintf(stderr, "shim: kmem_cache_destroy(%s): %ld objects remain\n",
			s->name, s->live);
		abort();
	}
	kfree(s);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	void *obj = kmalloc(s->size, flags);

	if (obj)
		s->live++;
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	void *obj = kmem_cache_alloc(s, flags);

	if (obj)
		memset(obj, 0, s->size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (!obj)
		return;
	s->live--;
	kfree(obj);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}
