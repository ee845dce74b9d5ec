/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP-like harness.  A test point runs between test_begin() and
 * test_end(); any failed EXPECT() in between prints a "# " diagnostic and
 * makes the point "not ok".
 */
#ifndef _CMAFW_TEST_H
#define _CMAFW_TEST_H

#include <stdbool.h>
#include <stddef.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define EXPECT(cond) expect_at((cond), __FILE__, __LINE__, "%s", #cond)
#define EXPECTF(cond, ...) expect_at((cond), __FILE__, __LINE__, __VA_ARGS__)

void test_begin(void);
#ifndef __printf
#define __printf(fmt, args) __attribute__((format(printf, fmt, args)))
#endif

__printf(1, 2) void test_end(const char *fmt, ...);
__printf(4, 5) bool expect_at(bool ok, const char *file, int line,
			      const char *fmt, ...);

/* Print the plan and the "N passed, N failed" line; the exit status. */
int test_summary(void);

/* Run @fn with stderr captured into @buf (NUL terminated, maybe cut). */
void capture_stderr(void (*fn)(void *arg), void *arg, char *buf, size_t size);
/* The same with stdout. */
void capture_stdout(void (*fn)(void *arg), void *arg, char *buf, size_t size);

void test_map(void);
void test_rbtree(void);
void test_alloc(void);
void test_alloc_bitmap(void);

#endif /* _CMAFW_TEST_H */
