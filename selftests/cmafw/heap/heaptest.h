/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heaptest: what its commands share (heaptest.c), and the commands that
 * live in files of their own.
 */
#ifndef HEAPTEST_H
#define HEAPTEST_H

#include <stddef.h>
#include <stdint.h>

/* How many checks failed, and the /proc/iomem owner of our buffers. */
extern int failures;
extern char owner[64];

/* "PASS <what>" or "FAIL <what>", counting failures. */
void result(int good, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A buffer of @len bytes from the heap @heap: its fd, or -errno. */
int heap_alloc(int heap, uint64_t len, uint32_t fd_flags,
	       uint64_t heap_flags);
/* The heap node @path, open; exit 2 when it cannot be opened. */
int open_heap(const char *path);
uint64_t fnv1a(const unsigned char *p, size_t len);
void pattern(unsigned char *p, size_t len, unsigned int seed);
/* /proc/iomem lines named @owner: count, the first's range. */
int iomem_find(unsigned long *start, unsigned long *end, int print);
long sysfs_num(const char *dir, const char *file);
/* /sys/class/cmafw_heap/<name> of the heap node @heap. */
const char *sysdir_of(const char *heap);
/* Nothing of ours is allocated: no iomem line, sysfs at zero. */
int nothing_held(const char *sys);

int cmd_drm(const char *path, const char *card, uint64_t len);

#endif /* HEAPTEST_H */
