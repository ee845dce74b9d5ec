// SPDX-License-Identifier: GPL-2.0
/*
 * heaptest: a dma-buf heap client for the guest tests, built static.
 *
 *   heaptest suite HEAP REGION_BYTES   the uAPI checks of a cmafw heap
 *   heaptest capture HEAP VIDEO NBUF NFRAMES [--control]
 *                                      vivid capturing into heap buffers;
 *                                      with HEAPTEST_HOLD set, still
 *                                      streaming, it waits for the end of
 *                                      stdin before stream-off and close
 *   heaptest hold HEAP LEN             allocate, say "held", wait for a signal
 *   heaptest alloc HEAP LEN            allocate once; exit 0 or print errno;
 *                                      with HEAPTEST_WAIT set, between open
 *                                      and alloc it says "opened" and waits
 *                                      for the end of stdin
 *   heaptest grab HEAP LEN             until stdin ends, open HEAP as soon as
 *                                      it appears and allocate from it;
 *                                      says "watching", then at the end
 *                                      "grab: opened N refused N" and the
 *                                      errnos met
 *   heaptest bench HEAP1 HEAP2 LEN ITERS
 *                                      alloc+close latency of both heaps,
 *                                      alternated: "bench HEAP LEN N P50 P99"
 *   heaptest drm HEAP CARD LEN         a DRM driver (vgem) imports a buffer
 *                                      (heaptest_drm.c)
 *   heaptest import HEAP LEN           the test driver imports a buffer:
 *                                      "import: ok <dma address>" or
 *                                      "import: <errno>" last
 *
 * Checks print "PASS <what>" or "FAIL <what>: <why>"; other lines start
 * with "# ".  The guest scripts turn them into TAP.  A cmafw buffer is
 * found in /proc/iomem by its owner, "heap:<comm>[<pid>]".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/videodev2.h>

#include "heaptest.h"

#define CTL "/sys/kernel/debug/cmafw_test/ctl"
#define MIB (1024UL * 1024)
#define MAX_BUFS 4096

int failures;
char owner[64];

void result(int good, const char *fmt, ...)
{
	va_list ap;

	printf(good ? "PASS " : "FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!good)
		failures++;
}

/* fd, or -errno. */
int heap_alloc(int heap, uint64_t len, uint32_t fd_flags,
	       uint64_t heap_flags)
{
	struct dma_heap_allocation_data d = {
		.len = len, .fd_flags = fd_flags, .heap_flags = heap_flags,
	};

	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d))
		return -errno;
	return d.fd;
}

int open_heap(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("# cannot open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

uint64_t fnv1a(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void pattern(unsigned char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)((i * 31 + seed + (i >> 12)) & 0xff);
}

static int sync_buf(int fd, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &s);
}

/* /proc/iomem lines named @owner: count, the first's range. */
int iomem_find(unsigned long *start, unsigned long *end, int print)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char name[128];

		if (sscanf(line, " %lx-%lx : %127[^\n]", &s, &e, name) != 3 ||
		    strcmp(name, owner))
			continue;
		if (!n++ && start) {
			*start = s;
			*end = e;
		}
		if (print)
			printf("# iomem: %s", line);
	}
	fclose(f);
	return n;
}

long sysfs_num(const char *dir, const char *file)
{
	char path[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

const char *sysdir_of(const char *heap)
{
	static char dir[256];
	const char *base = strrchr(heap, '/');

	snprintf(dir, sizeof(dir), "/sys/class/cmafw_heap/%s",
		 base ? base + 1 : heap);
	return dir;
}

/* Nothing of ours is allocated: no iomem line, sysfs at zero. */
int nothing_held(const char *sys)
{
	return iomem_find(NULL, NULL, 0) == 0 &&
	       sysfs_num(sys, "buffers") == 0 && sysfs_num(sys, "bytes") == 0;
}

/*
 * The test module's importer, a device with a 32-bit DMA mask on a bus
 * that reaches 2^@bits bytes (all of them when 0), and that sees the
 * CPU's addresses from @base at 0 (unless @base is 0):
 * "ok <dma> <nents> <len> <hash>".
 */
static int import_check(int fd, unsigned int bits, unsigned long base,
			unsigned long *dma, unsigned int *nents,
			unsigned int *len, uint64_t *hash, unsigned long *phys)
{
	char cmd[64], answer[200];
	int ctl = open(CTL, O_RDWR), err;
	ssize_t n;

	if (ctl < 0)
		return -errno;
	if (base)
		snprintf(cmd, sizeof(cmd), "dmabuf_offset %d %#lx\n", fd, base);
	else if (bits)
		snprintf(cmd, sizeof(cmd), "dmabuf_limit %d %u\n", fd, bits);
	else
		snprintf(cmd, sizeof(cmd), "dmabuf %d\n", fd);
	if (write(ctl, cmd, strlen(cmd)) < 0) {
		close(ctl);
		return -errno;
	}
	n = read(ctl, answer, sizeof(answer) - 1);
	close(ctl);
	if (n <= 0)
		return -EIO;
	answer[n] = 0;
	printf("# importer: %s", answer);
	if (sscanf(answer, "err %d", &err) == 1 && err < 0)
		return err;
	if (sscanf(answer, "ok %lx %u %u %" SCNx64 " %lx", dma, nents, len,
		   hash, phys) != 5)
		return -EPROTO;
	return 0;
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The child: receive the fd, check the parent's bytes, mark the end. */
static int child_side(int sock, size_t size, uint64_t want)
{
	int fd = recv_fd(sock);
	unsigned char *p;
	uint64_t got;

	if (fd < 0)
		return 10;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 11;
	sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	got = fnv1a(p, size);
	memcpy(p + size - 8, "childwas", 8);
	sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	munmap(p, size);
	close(fd);
	return got == want ? 0 : 12;
}

static void suite_fd_passing(int fd, unsigned char *p, size_t size,
			     uint64_t want)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		/* A kernel built without sockets (the debug tinyconfig). */
		if (errno == ENOSYS || errno == EAFNOSUPPORT)
			printf("SKIP fd passing: this kernel has no AF_UNIX sockets\n");
		else
			result(0, "fd passing: socketpair: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_exit(child_side(sv[1], size, want));
	}
	close(sv[1]);
	send_fd(sv[0], fd);
	waitpid(pid, &status, 0);
	close(sv[0]);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "fd passing: a second process sees the same bytes (status %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	result(!memcmp(p + size - 8, "childwas", 8),
	       "fd passing: the parent sees what the second process wrote");
	sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
}

/* The lowest free fd number: what the next open() would get. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

/*
 * The request in a read-only page: the kernel reads it, allocates, then
 * cannot write the fd back.  EFAULT, and neither an fd nor a buffer may
 * be left behind.
 */
static void suite_readonly_arg(int heap, const char *sys)
{
	struct dma_heap_allocation_data *d;
	int before, after, ret;

	d = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d == MAP_FAILED) {
		result(0, "a read-only request: cannot map a page: %s",
		       strerror(errno));
		return;
	}
	d->len = 4096;
	d->fd_flags = O_RDWR | O_CLOEXEC;
	mprotect(d, 4096, PROT_READ);
	before = lowest_free_fd();
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, d) ? -errno : 0;
	after = lowest_free_fd();
	result(ret == -EFAULT && after == before && nothing_held(sys),
	       "a request in a read-only page: EFAULT, no fd left open (lowest free fd %d, then %d), nothing allocated (got %s)",
	       before, after, ret ? strerror(-ret) : "success");
	munmap(d, 4096);
}

/*
 * ALLOC from a program built against an older or a newer header: the
 * command carries the struct's size, and the heap takes any size that can
 * carry the fd back, zero-filling a shorter one and refusing a longer one
 * whose extra bytes are not zero (E2BIG).
 */
struct alloc_longer {
	struct dma_heap_allocation_data d;
	uint64_t next;
};

struct alloc_shorter {
	uint64_t len;
	uint32_t fd;
	uint32_t fd_flags;
};

static void suite_sizes(int heap, const char *sys)
{
	struct alloc_longer l = { .d = { .len = 8192, .fd_flags = O_RDWR } };
	struct alloc_shorter sh = { .len = 4096, .fd_flags = O_RDWR };
	uint64_t tiny = 4096;
	int ret;

	ret = ioctl(heap, _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, struct alloc_longer),
		    &l) ? -errno : 0;
	result(!ret && l.d.fd > 0 && sysfs_num(sys, "bytes") == 8192 &&
	       l.next == 0,
	       "a longer request, zero past the known fields: an fd of 8192 bytes (got %s)",
	       ret ? strerror(-ret) : "success");
	if (!ret)
		close(l.d.fd);
	result(nothing_held(sys), "closing it frees it");

	l.d.fd = 0;
	l.next = 1;
	ret = ioctl(heap, _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, struct alloc_longer),
		    &l) ? -errno : 0;
	result(ret == -E2BIG && nothing_held(sys),
	       "a longer request, not zero past them: E2BIG, nothing allocated (got %s)",
	       ret ? strerror(-ret) : "success");

	ret = ioctl(heap, _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, struct alloc_shorter),
		    &sh) ? -errno : 0;
	result(!ret && sh.fd > 0 && sysfs_num(sys, "bytes") == 4096,
	       "a request without heap_flags: an fd of 4096 bytes (got %s)",
	       ret ? strerror(-ret) : "success");
	if (!ret)
		close(sh.fd);
	result(nothing_held(sys), "closing it frees it");

	ret = ioctl(heap, _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, uint64_t), &tiny) ?
	      -errno : 0;
	result(ret == -EINVAL && nothing_held(sys),
	       "a request too short to carry the fd back: EINVAL (got %s)",
	       ret ? strerror(-ret) : "success");

	ret = ioctl(heap, _IOW(DMA_HEAP_IOC_MAGIC, 0x0,
			       struct dma_heap_allocation_data), &l.d) ?
	      -errno : 0;
	result(ret == -ENOTTY && nothing_held(sys),
	       "ALLOC's number written only, not read back: ENOTTY (got %s)",
	       ret ? strerror(-ret) : "success");
}

static void suite_bad_input(int heap, const char *sys, uint64_t region)
{
	static const struct {
		const char *what;
		uint64_t len;
		uint32_t fd_flags;
		uint64_t heap_flags;
		int err;
	} bad[] = {
		{ "len 0", 0, O_RDWR, 0, EINVAL },
		{ "fd_flags O_NONBLOCK", 4096, O_RDWR | O_NONBLOCK, 0, EINVAL },
		{ "fd_flags bit 31", 4096, 0x80000000u, 0, EINVAL },
		{ "heap_flags 1", 4096, O_RDWR, 1, EINVAL },
		{ "heap_flags bit 63", 4096, O_RDWR, 1ULL << 63, EINVAL },
		{ "len 2^64-1", UINT64_MAX, O_RDWR, 0, EINVAL },
		{ "len 4 GiB (over one segment)", 1ULL << 32, O_RDWR, 0,
		  EINVAL },
	};
	struct dma_heap_allocation_data d = { .len = 4096, .fd = 3 };
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = heap_alloc(heap, bad[i].len, bad[i].fd_flags,
				 bad[i].heap_flags);
		if (ret >= 0)
			close(ret);
		result(ret == -bad[i].err && nothing_held(sys),
		       "bad input %s: %s, nothing allocated (got %s)",
		       bad[i].what, strerror(bad[i].err),
		       ret >= 0 ? "an fd" : strerror(-ret));
	}
	ret = heap_alloc(heap, region + 4096, O_RDWR, 0);
	if (ret >= 0)
		close(ret);
	result(ret == -ENOMEM && nothing_held(sys),
	       "bad input: one page more than the region: ENOMEM (got %s)",
	       ret >= 0 ? "an fd" : strerror(-ret));
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) ? -errno : 0;
	result(ret == -EINVAL && nothing_held(sys),
	       "bad input: a non-zero fd field on input: EINVAL (got %s)",
	       strerror(-ret));
	ret = ioctl(heap, _IOWR(DMA_HEAP_IOC_MAGIC, 0x7, int), &d) ? -errno : 0;
	result(ret == -ENOTTY, "an unknown ioctl: ENOTTY (got %s)",
	       strerror(-ret));
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, (void *)8) ? -errno : 0;
	result(ret == -EFAULT && nothing_held(sys),
	       "a bad pointer: EFAULT (got %s)", strerror(-ret));
	suite_readonly_arg(heap, sys);
}

static void suite_many(int heap, const char *sys, uint64_t region)
{
	static int fds[MAX_BUFS];
	unsigned long expect = region / MIB;
	int n = 0, ret = 0, lines;

	while (n < MAX_BUFS) {
		ret = heap_alloc(heap, MIB, O_RDWR | O_CLOEXEC, 0);
		if (ret < 0)
			break;
		fds[n++] = ret;
	}
	lines = iomem_find(NULL, NULL, 0);
	result(ret == -ENOMEM && (unsigned long)n == expect,
	       "1 MiB buffers until ENOMEM: %d of %lu, then %s", n, expect,
	       strerror(-ret));
	result(lines == n && sysfs_num(sys, "buffers") == n &&
	       sysfs_num(sys, "bytes") == (long)(n * MIB),
	       "each is an iomem line and counted in sysfs (%d lines)", lines);
	while (n)
		close(fds[--n]);
	result(nothing_held(sys), "all closed: all freed");
}

/*
 * A buffer whose fd is read-only (fd_flags O_RDONLY): it maps shared for
 * reading, as the kernel's heaps' buffers do, and not for writing.
 */
static void suite_readonly_buf(int heap, const char *sys, size_t want)
{
	unsigned char *p;
	int fd, zero = 1;

	fd = heap_alloc(heap, want, O_RDONLY | O_CLOEXEC, 0);
	result(fd >= 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
	       "alloc with fd_flags O_RDONLY gives a read-only fd (%s)",
	       fd >= 0 ? "ok" : strerror(-fd));
	if (fd < 0)
		return;
	p = mmap(NULL, want, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED) {
		for (size_t i = 0; i < want; i++)
			zero &= !p[i];
	}
	result(p != MAP_FAILED && zero,
	       "it maps shared for reading and reads all zero (%s)",
	       p != MAP_FAILED ? "mapped" : strerror(errno));
	if (p != MAP_FAILED)
		munmap(p, want);
	p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	result(p == MAP_FAILED && errno == EACCES,
	       "and not for writing: EACCES (%s)",
	       p != MAP_FAILED ? "mapped" : strerror(errno));
	if (p != MAP_FAILED)
		munmap(p, want);
	close(fd);
	result(nothing_held(sys), "closing the read-only buffer frees it");
}

static int cmd_suite(const char *path, uint64_t region)
{
	const char *sys = sysdir_of(path);
	size_t want = MIB + 4096, size;
	unsigned long start = 0, end = 0, start2 = 0, end2 = 0, dma = 0, base;
	unsigned long phys = 0;
	unsigned int nents = 0, len = 0, bits;
	unsigned char *p, *part;
	uint64_t hash, khash = 0;
	int heap = open_heap(path);
	int fd, fd2, ret, zero = 1;

	result(nothing_held(sys), "the heap holds nothing to begin with");
	fd = heap_alloc(heap, MIB + 1, O_RDWR | O_CLOEXEC, 0);
	result(fd >= 0, "alloc of 1 MiB + 1 byte gives an fd (%s)",
	       fd >= 0 ? "ok" : strerror(-fd));
	if (fd < 0)
		return 1;
	size = lseek(fd, 0, SEEK_END);
	result(size == want, "the dma-buf is whole pages: %zu bytes", size);
	result(iomem_find(&start, &end, 1) == 1 && end - start + 1 == want,
	       "/proc/iomem shows one chunk of %zu bytes owned by %s",
	       want, owner);
	result(sysfs_num(sys, "buffers") == 1 &&
	       sysfs_num(sys, "bytes") == (long)want,
	       "sysfs counts 1 buffer of %zu bytes", want);

	p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	result(p != MAP_FAILED, "mmap shared of the whole buffer");
	if (p == MAP_FAILED)
		return 1;
	sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	pattern(p, want, 7);
	sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	hash = fnv1a(p, want);
	{
		unsigned char *check = malloc(want);

		pattern(check, want, 7);
		part = mmap(NULL, want, PROT_READ, MAP_SHARED, fd, 0);
		result(part != MAP_FAILED && !memcmp(check, part, want),
		       "a pattern written through mmap reads back through another mapping");
		if (part != MAP_FAILED)
			munmap(part, want);
		free(check);
	}
	part = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 3 * 4096);
	result(part != MAP_FAILED && !memcmp(part, p + 3 * 4096, 8192),
	       "mmap of pages 3-4 alone shows the same bytes");
	if (part != MAP_FAILED)
		munmap(part, 8192);
	part = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, want);
	result(part == MAP_FAILED && errno == EINVAL,
	       "mmap past the end: EINVAL");
	part = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	result(part == MAP_FAILED && errno == EINVAL,
	       "private mmap refused: EINVAL");
	if (part != MAP_FAILED)
		munmap(part, want);

	ret = import_check(fd, 0, 0, &dma, &nents, &len, &khash, &phys);
	result(!ret && dma == start && nents == 1 && len == want,
	       "an importing driver gets one %zu-byte DMA segment at the chunk's address %#lx (got %#lx, %u, %u; %s)",
	       want, start, dma, nents, len, ret ? strerror(-ret) : "ok");
	result(!ret && khash == hash,
	       "the driver reads through vmap the bytes userspace wrote");
	result(!ret && phys == start,
	       "a driver that reads sg_phys(), as some DRM drivers do, finds the chunk there too (got %#lx)",
	       phys);
	/* A bus that reaches the bits below the chunk's top bit stops short. */
	bits = 63 - __builtin_clzl(start);
	ret = import_check(fd, bits, 0, &dma, &nents, &len, &khash, &phys);
	result(ret == -EIO,
	       "a driver whose bus reaches only %u address bits, short of %#lx, cannot map it: EIO (%s)",
	       bits, start, ret ? strerror(-ret) : "mapped");
	/* A bus that sees the chunk's MiB at 1 MiB: offset by start - 1 MiB. */
	base = (start & ~(MIB - 1)) - MIB;
	ret = import_check(fd, 0, base, &dma, &nents, &len, &khash, &phys);
	result(!ret && dma == start - base && khash == hash,
	       "a driver whose bus sees %#lx at 0 gets the chunk at %#lx, as the DMA API maps RAM for it (got %#lx; %s)",
	       base, start - base, dma, ret ? strerror(-ret) : "ok");

	suite_fd_passing(fd, p, want, hash);

	/* The last mmap keeps the buffer after the fd is closed. */
	close(fd);
	result(iomem_find(NULL, NULL, 0) == 1,
	       "closing the fd while mapped keeps the chunk");
	munmap(p, want);
	result(nothing_held(sys), "unmapping the last mapping frees it");

	fd2 = heap_alloc(heap, want, O_RDWR, 0);
	if (fd2 >= 0) {
		iomem_find(&start2, &end2, 0);
		p = mmap(NULL, want, PROT_READ, MAP_SHARED, fd2, 0);
		if (p != MAP_FAILED) {
			for (size_t i = 0; i < want; i++)
				zero &= !p[i];
			munmap(p, want);
		}
		close(fd2);
	}
	result(fd2 >= 0 && p != MAP_FAILED && zero && start2 == start,
	       "the same chunk allocated again reads all zero (%#lx)", start2);
	result(nothing_held(sys), "and closing it frees it");
	suite_readonly_buf(heap, sys, want);

	suite_bad_input(heap, sys, region);
	suite_sizes(heap, sys);
	suite_many(heap, sys, region);
	close(heap);
	return failures ? 1 : 0;
}

/* ---- vivid ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct frame_buf {
	int fd;
	unsigned char *p;
};

static int cmd_capture(const char *path, const char *video, int nbuf,
		       int nframes, int control)
{
	struct v4l2_format fmt = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_streamparm parm = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_requestbuffers req = { 0 };
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	struct frame_buf bufs[32];
	int heap = open_heap(path);
	int vfd = open(video, O_RDWR);
	unsigned int size, last_seq = ~0u, seqs = 0, zero = 0, same = 0;
	unsigned int changes = 0, got = 0;
	uint64_t last_hash = 0;
	double t0, t1;
	int i, lines;

	if (vfd < 0 || nbuf > 32) {
		printf("# cannot open %s: %s\n", video, strerror(errno));
		return 2;
	}
	fmt.fmt.pix.width = 640;
	fmt.fmt.pix.height = 480;
	fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
	fmt.fmt.pix.field = V4L2_FIELD_NONE;
	if (ioctl(vfd, VIDIOC_S_FMT, &fmt)) {
		printf("# S_FMT: %s\n", strerror(errno));
		return 2;
	}
	size = fmt.fmt.pix.sizeimage;
	result(size == 614400 && fmt.fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV,
	       "vivid set to 640x480 YUYV, %u bytes a frame", size);
	parm.parm.capture.timeperframe.numerator = 1;
	parm.parm.capture.timeperframe.denominator = 60;
	ioctl(vfd, VIDIOC_S_PARM, &parm);
	req.count = nbuf;
	req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	req.memory = V4L2_MEMORY_DMABUF;
	if (ioctl(vfd, VIDIOC_REQBUFS, &req) || req.count != (unsigned)nbuf) {
		printf("# REQBUFS: %s (count %u)\n", strerror(errno), req.count);
		return 2;
	}
	for (i = 0; i < nbuf; i++) {
		bufs[i].fd = heap_alloc(heap, size, O_RDWR | O_CLOEXEC, 0);
		if (bufs[i].fd < 0) {
			result(0, "frame buffer %d from %s: %s", i, path,
			       strerror(-bufs[i].fd));
			return 1;
		}
		bufs[i].p = mmap(NULL, size, PROT_READ, MAP_SHARED,
				 bufs[i].fd, 0);
	}
	result(1, "%d frame buffers of %u bytes from %s", nbuf, size, path);
	if (!control) {
		lines = iomem_find(NULL, NULL, 1);
		result(lines == nbuf, "/proc/iomem shows the %d frames owned by %s",
		       nbuf, owner);
	}
	for (i = 0; i < nbuf; i++) {
		struct v4l2_buffer b = {
			.index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
			.memory = V4L2_MEMORY_DMABUF, .length = size,
		};

		b.m.fd = bufs[i].fd;
		if (ioctl(vfd, VIDIOC_QBUF, &b)) {
			int err = errno;

			printf("# QBUF %d: %s\n", i, strerror(err));
			if (control) {
				printf("CONTROL-FAIL %s: QBUF %s\n", path,
				       strerror(err));
				return 3;
			}
			result(0, "QBUF of buffer %d: %s", i, strerror(err));
			return 1;
		}
	}
	result(1, "all %d buffers queued with V4L2_MEMORY_DMABUF", nbuf);
	if (ioctl(vfd, VIDIOC_STREAMON, &type)) {
		result(0, "STREAMON: %s", strerror(errno));
		return 1;
	}
	printf("# streaming\n");
	t0 = now();
	while (got < (unsigned int)nframes && now() - t0 < 20) {
		struct v4l2_buffer b = {
			.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
			.memory = V4L2_MEMORY_DMABUF,
		};
		unsigned char *p;
		uint64_t h;
		size_t k;
		int nz = 0;

		if (ioctl(vfd, VIDIOC_DQBUF, &b)) {
			result(0, "DQBUF: %s", strerror(errno));
			break;
		}
		p = bufs[b.index].p;
		sync_buf(bufs[b.index].fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		for (k = 0; k < size && !nz; k += 61)
			nz = p[k] != 0;
		h = fnv1a(p, size);
		sync_buf(bufs[b.index].fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		zero += !nz;
		if (b.sequence != last_seq) {
			if (got) {
				if (h == last_hash)
					same++;
				else
					changes++;
			}
			seqs++;
			last_seq = b.sequence;
			last_hash = h;
		}
		got++;
		if (ioctl(vfd, VIDIOC_QBUF, &b)) {
			result(0, "re-QBUF: %s", strerror(errno));
			break;
		}
	}
	t1 = now();
	printf("# %u frames (%u sequence numbers) in %.2f s: %.1f fps\n", got,
	       seqs, t1 - t0, got / (t1 - t0));
	result(got >= (unsigned int)nframes, "streamed %u frames (want %d)",
	       got, nframes);
	result(got && !zero, "no frame is all zero (%u zero)", zero);
	result(changes > 0 && !same,
	       "frames change between sequence numbers (%u changes, %u repeats)",
	       changes, same);
	if (getenv("HEAPTEST_HOLD")) {
		/* Still streaming: wait for stdin's end before letting go. */
		printf("# holding\n");
		fflush(stdout);
		while (getchar() != EOF)
			;
	}
	ioctl(vfd, VIDIOC_STREAMOFF, &type);
	req.count = 0;
	ioctl(vfd, VIDIOC_REQBUFS, &req);
	close(vfd);
	for (i = 0; i < nbuf; i++) {
		munmap(bufs[i].p, size);
		close(bufs[i].fd);
	}
	if (!control)
		result(iomem_find(NULL, NULL, 0) == 0,
		       "after streamoff and close no frame is left in /proc/iomem");
	return failures ? 1 : 0;
}

/* ---- the others ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One alloc+close of @len from @heap, in ns; 0 on failure. */
static uint64_t bench_once(int heap, const char *path, uint64_t len)
{
	struct timespec a, b;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &a);
	fd = heap_alloc(heap, len, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		printf("# %s: alloc of %llu bytes: %s\n", path,
		       (unsigned long long)len, strerror(-fd));
		return 0;
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec;
}

/* Alternate the two heaps, so that both see the same machine. */
static int cmd_bench(const char *path_a, const char *path_b, uint64_t len,
		     int iters)
{
	uint64_t *ns[2] = { calloc(iters, sizeof(uint64_t)),
			    calloc(iters, sizeof(uint64_t)) };
	const char *path[2] = { path_a, path_b };
	int heap[2] = { open_heap(path_a), open_heap(path_b) };
	int i, h;

	for (i = 0; i < iters; i++)
		for (h = 0; h < 2; h++) {
			ns[h][i] = bench_once(heap[h], path[h], len);
			if (!ns[h][i])
				return 1;
		}
	for (h = 0; h < 2; h++) {
		qsort(ns[h], iters, sizeof(uint64_t), cmp_u64);
		printf("bench %s %llu %d %llu %llu\n", path[h],
		       (unsigned long long)len, iters,
		       (unsigned long long)ns[h][iters / 2],
		       (unsigned long long)ns[h][(iters * 99) / 100]);
	}
	return 0;
}

static int cmd_alloc(const char *path, uint64_t len, int hold)
{
	int heap = open(path, O_RDWR | O_CLOEXEC);
	int fd;

	if (heap < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	if (getenv("HEAPTEST_WAIT")) {
		/* The node is open: let the caller act, until stdin ends. */
		printf("opened\n");
		fflush(stdout);
		while (getchar() != EOF)
			;
	}
	fd = heap_alloc(heap, len, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		printf("alloc: %s\n", strerror(-fd));
		return 1;
	}
	if (!hold) {
		printf("ok\n");
		return 0;
	}
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* Allocate @len from @path and hand it to the test driver's importer. */
static int cmd_import(const char *path, uint64_t len)
{
	int heap = open(path, O_RDWR | O_CLOEXEC), fd, ret;
	unsigned long dma, phys;
	unsigned int nents, n;
	uint64_t hash;

	if (heap < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	fd = heap_alloc(heap, len, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		printf("alloc: %s\n", strerror(-fd));
		return 1;
	}
	ret = import_check(fd, 0, 0, &dma, &nents, &n, &hash, &phys);
	if (ret) {
		printf("import: %s\n", strerror(-ret));
		return 1;
	}
	printf("import: ok %#lx\n", dma);
	return 0;
}

/* Whether stdin has ended (or has a byte), without waiting. */
static int stdin_ended(void)
{
	struct pollfd in = { .fd = 0, .events = POLLIN };

	return poll(&in, 1, 0) > 0;
}

/*
 * Try to open @path over and over, as a process that waits for the node
 * to appear would, until stdin ends.  Once open, allocate @len and hold
 * both the node and the buffer until then.
 */
static int cmd_grab(const char *path, uint64_t len)
{
	int heap = -1, buf = -ENOENT, refused = 0, other = 0, last = 0;
	long tries = 0;

	printf("watching\n");
	while (!stdin_ended()) {
		if (heap >= 0) {
			usleep(10000);
			continue;
		}
		tries++;
		heap = open(path, O_RDWR | O_CLOEXEC);
		if (heap >= 0) {
			buf = heap_alloc(heap, len, O_RDWR | O_CLOEXEC, 0);
			printf("# opened after %ld tries; alloc: %s\n", tries,
			       buf < 0 ? strerror(-buf) : "ok");
		} else if (errno == EAGAIN) {
			refused++;
		} else if (errno != ENOENT) {
			other++;
			last = errno;
		}
	}
	if (buf >= 0)
		close(buf);
	if (heap >= 0)
		close(heap);
	printf("grab: opened %d refused %d\n", heap >= 0, refused);
	if (other)
		printf("# %d other errors, the last: %s\n", other,
		       strerror(last));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(owner, sizeof(owner), "heap:heaptest[%d]", getpid());
	if (argc == 4 && !strcmp(argv[1], "suite"))
		return cmd_suite(argv[2], strtoull(argv[3], NULL, 0));
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "capture"))
		return cmd_capture(argv[2], argv[3], atoi(argv[4]),
				   atoi(argv[5]), argc == 7);
	if (argc == 6 && !strcmp(argv[1], "bench"))
		return cmd_bench(argv[2], argv[3], strtoull(argv[4], NULL, 0),
				 atoi(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "drm"))
		return cmd_drm(argv[2], argv[3], strtoull(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "alloc"))
		return cmd_alloc(argv[2], strtoull(argv[3], NULL, 0), 0);
	if (argc == 4 && !strcmp(argv[1], "grab"))
		return cmd_grab(argv[2], strtoull(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "import"))
		return cmd_import(argv[2], strtoull(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return cmd_alloc(argv[2], strtoull(argv[3], NULL, 0), 1);
	fprintf(stderr, "usage: see the head of heaptest.c\n");
	return 2;
}
