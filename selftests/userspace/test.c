// SPDX-License-Identifier: GPL-2.0
/*
 * The unit tests' TAP-like harness (test.h), shared by cmafw_test and
 * the benchmark engine's test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

#define MAX_DIAGNOSTICS 8

static int nr_passed, nr_failed, nr_points;
static int point_failures;

void test_begin(void)
{
	point_failures = 0;
}

void test_end(const char *fmt, ...)
{
	va_list ap;

	nr_points++;
	if (point_failures)
		nr_failed++;
	else
		nr_passed++;
	printf("%sok %d - ", point_failures ? "not " : "", nr_points);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

bool expect_at(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	if (point_failures++ < MAX_DIAGNOSTICS) {
		printf("# %s:%d: failed: ", file, line);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	return false;
}

/* Run @fn with @stream's file descriptor sent to a temporary file. */
static void capture(FILE *stream, void (*fn)(void *arg), void *arg,
		    char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int fd = fileno(stream);
	int saved = dup(fd);
	size_t len;

	if (!tmp || saved < 0) {
		perror("capture");
		exit(2);
	}
	fflush(stream);
	dup2(fileno(tmp), fd);
	fn(arg);
	fflush(stream);
	dup2(saved, fd);
	close(saved);

	rewind(tmp);
	len = fread(buf, 1, size - 1, tmp);
	buf[len] = '\0';
	fclose(tmp);
}

void capture_stderr(void (*fn)(void *arg), void *arg, char *buf, size_t size)
{
	capture(stderr, fn, arg, buf, size);
}

void capture_stdout(void (*fn)(void *arg), void *arg, char *buf, size_t size)
{
	capture(stdout, fn, arg, buf, size);
}

int test_summary(void)
{
	printf("1..%d\n", nr_points);
	printf("%d passed, %d failed\n", nr_passed, nr_failed);
	return nr_failed ? 1 : 0;
}
