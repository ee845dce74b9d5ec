// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: run one system call with its N-th fault-injection point failing.
 *
 *	failnth N mkdir PATH
 *	failnth N rmdir PATH
 *	failnth N write PATH TEXT	one write(2) of TEXT to PATH
 *	failnth N ctl PATH TEXT		TEXT and a newline, then read the answer
 *	failnth N insmod KO [PARAMS]	finit_module(2)
 *	failnth N rmmod NAME		delete_module(2)
 *	failnth N heap DEV BYTES	DMA_HEAP_IOCTL_ALLOC on DEV; the buffer's
 *					fd is closed before failnth exits
 *
 * /proc/thread-self/fail-nth makes the N-th call of this task to a fault
 * injection point (failslab, fail_page_alloc) fail; 0 injects nothing.
 * The file is opened, and PATH or KO too, before N is written, so only
 * the system call itself counts.  Prints one line:
 *
 *	RET INJECTED [ANSWER]
 *
 * RET is 0 or -errno, INJECTED is 1 if the N-th failure was injected
 * during the call (fail-nth read back 0), ANSWER is ctl's answer line.
 * Exit status 0 unless the usage was wrong or a helper step failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/dma-heap.h>

static int nth_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "failnth: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		die("write /proc/thread-self/fail-nth");
}

/* Disarm; return whether the armed failure was injected meanwhile. */
static int disarm(unsigned int n)
{
	char buf[16] = "";
	ssize_t len = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	if (len <= 0)
		die("read /proc/thread-self/fail-nth");
	arm(0);
	return n && strtoul(buf, NULL, 10) == 0;
}

static int usage(void)
{
	fputs("failnth N mkdir|rmdir PATH | N write|ctl PATH TEXT |\n"
	      "        N insmod KO [PARAMS] | N rmmod NAME | N heap DEV BYTES\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	char answer[512] = "";
	const char *op;
	unsigned int n;
	int fd = -1, buf_fd = -1, ret, injected;
	char *end;

	if (argc < 4)
		return usage();
	n = strtoul(argv[1], &end, 10);
	if (*end || !*argv[1])
		return usage();
	op = argv[2];
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0)
		die("open /proc/thread-self/fail-nth");

	if (!strcmp(op, "write") || !strcmp(op, "ctl") || !strcmp(op, "heap")) {
		if (argc != 5)
			return usage();
		fd = open(argv[3], !strcmp(op, "write") ? O_WRONLY : O_RDWR);
		if (fd < 0)
			die(argv[3]);
	} else if (!strcmp(op, "insmod")) {
		if (argc > 5)
			return usage();
		fd = open(argv[3], O_RDONLY);
		if (fd < 0)
			die(argv[3]);
	} else if (argc != 4) {
		return usage();
	}

	arm(n);
	if (!strcmp(op, "mkdir")) {
		ret = mkdir(argv[3], 0755);
	} else if (!strcmp(op, "rmdir")) {
		ret = rmdir(argv[3]);
	} else if (!strcmp(op, "write")) {
		ret = write(fd, argv[4], strlen(argv[4])) < 0 ? -1 : 0;
	} else if (!strcmp(op, "ctl")) {
		char cmd[512];
		int len = snprintf(cmd, sizeof(cmd), "%s\n", argv[4]);

		ret = write(fd, cmd, len) < 0 ? -1 : 0;
	} else if (!strcmp(op, "heap")) {
		struct dma_heap_allocation_data data = {
			.len = strtoull(argv[4], NULL, 0),
			.fd_flags = O_RDWR | O_CLOEXEC,
		};

		ret = ioctl(fd, DMA_HEAP_IOCTL_ALLOC, &data);
		buf_fd = ret ? -1 : (int)data.fd;
	} else if (!strcmp(op, "insmod")) {
		ret = syscall(SYS_finit_module, fd, argc == 5 ? argv[4] : "", 0);
	} else if (!strcmp(op, "rmmod")) {
		ret = syscall(SYS_delete_module, argv[3], O_NONBLOCK);
	} else {
		arm(0);
		return usage();
	}
	ret = ret < 0 ? -errno : 0;
	injected = disarm(n);
	/* Freeing the buffer is not part of the call. */
	if (buf_fd >= 0)
		close(buf_fd);

	if (!strcmp(op, "ctl") && !ret) {
		ssize_t len = read(fd, answer, sizeof(answer) - 1);

		if (len < 0)
			die("read the answer");
		answer[len] = '\0';
		answer[strcspn(answer, "\n")] = '\0';
	}
	printf("%d %d%s%s\n", ret, injected, *answer ? " " : "", answer);
	return 0;
}
