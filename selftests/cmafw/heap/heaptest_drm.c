// SPDX-License-Identifier: GPL-2.0
/*
 * heaptest drm HEAP CARD LEN: a real DRM driver, vgem, imports a buffer
 * of a cmafw heap through PRIME, as a display or GPU driver would:
 *
 *  - DRM_IOCTL_PRIME_FD_TO_HANDLE attaches vgem's device to the dma-buf and
 *    maps it (the heap's map_dma_buf), and gives a GEM handle;
 *  - debugfs's dma_buf/bufinfo lists vgem as the buffer's one attachment;
 *  - the handle exports the same dma-buf back (the same file);
 *  - the import keeps the chunk once every fd is closed, and
 *    DRM_IOCTL_GEM_CLOSE frees it.
 *
 * vgem cannot map an imported object for the CPU (DRM refuses dumb maps
 * of imports), so no bytes are read through it: reading the fd it
 * exports would read the heap's own mapping of the same file.  The
 * four ioctls are the stable DRM uAPI (include/uapi/drm/drm.h), declared
 * here because the build host has no DRM headers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>

#include "heaptest.h"

struct drm_version {
	int version_major;
	int version_minor;
	int version_patchlevel;
	__kernel_size_t name_len;
	char *name;
	__kernel_size_t date_len;
	char *date;
	__kernel_size_t desc_len;
	char *desc;
};

struct drm_gem_close {
	__u32 handle;
	__u32 pad;
};

struct drm_prime_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

#define DRM_IOCTL_VERSION	_IOWR('d', 0x00, struct drm_version)
#define DRM_IOCTL_GEM_CLOSE	_IOW('d', 0x09, struct drm_gem_close)
#define DRM_IOCTL_PRIME_HANDLE_TO_FD	_IOWR('d', 0x2d, struct drm_prime_handle)
#define DRM_IOCTL_PRIME_FD_TO_HANDLE	_IOWR('d', 0x2e, struct drm_prime_handle)

#define BUFINFO "/sys/kernel/debug/dma_buf/bufinfo"

static int drm_driver_name(int dri, char *name, size_t len)
{
	struct drm_version v = { .name = name, .name_len = len - 1 };

	memset(name, 0, len);
	return ioctl(dri, DRM_IOCTL_VERSION, &v) ? -errno : 0;
}

/* A GEM handle for the dma-buf @fd, or -errno. */
static long prime_import(int dri, int fd)
{
	struct drm_prime_handle p = { .fd = fd };

	if (ioctl(dri, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p))
		return -errno;
	return p.handle;
}

/* A dma-buf fd for the GEM handle @handle, or -errno. */
static int prime_export(int dri, __u32 handle)
{
	struct drm_prime_handle p = { .handle = handle, .flags = O_CLOEXEC };

	return ioctl(dri, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p) ? -errno : p.fd;
}

/*
 * The devices bufinfo lists as attached to the dma-buf of inode @ino,
 * exported by @exp: how many, the first in @dev.  -1 if it is not listed.
 */
static int bufinfo_attached(unsigned long ino, const char *exp, char *dev,
			    size_t len)
{
	FILE *f = fopen(BUFINFO, "r");
	char line[256], name[64];
	unsigned long i;
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (n < 0) {
			/* size flags mode count exp_name ino name */
			if (sscanf(line, "%*u %*x %*x %*d %63s %lu", name, &i) == 2 &&
			    i == ino && !strcmp(name, exp)) {
				printf("# bufinfo: %s", line);
				n = 0;
			}
			continue;
		}
		if (!strncmp(line, "Total ", 6))
			break;
		if (line[0] != '\t' || strstr(line, "Attached Devices:"))
			continue;
		/* "\t<device>\n", or a fence line of dma_resv_describe() */
		if (sscanf(line, "\t%63s", name) == 1 && !strchr(line, ' ')) {
			printf("# bufinfo: attached %s\n", name);
			if (!n++)
				snprintf(dev, len, "%s", name);
		}
	}
	fclose(f);
	return n;
}

/* Imports of one buffer by @dri: see the top of this file. */
static void drm_import_checks(int heap, const char *path, int dri, size_t len)
{
	const char *sys = sysdir_of(path), *exp = strrchr(path, '/') + 1;
	char dev[64] = "";
	struct stat st, st2;
	long h, h2;
	int fd, fd2, n;

	fd = heap_alloc(heap, len, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		result(0, "a %zu-byte buffer: %s", len, strerror(-fd));
		return;
	}
	fstat(fd, &st);

	h = prime_import(dri, fd);
	result(h > 0, "vgem imports the buffer (PRIME_FD_TO_HANDLE): %s",
	       h > 0 ? "a GEM handle" : strerror(-h));
	if (h <= 0) {
		close(fd);
		return;
	}
	n = bufinfo_attached(st.st_ino, exp, dev, sizeof(dev));
	result(n == 1 && !strcmp(dev, "vgem"),
	       "bufinfo: %s's buffer has one device attached, vgem (%d, %s)",
	       exp, n, dev);
	h2 = prime_import(dri, fd);
	result(h2 == h, "importing it again gives the same handle");

	fd2 = prime_export(dri, h);
	result(fd2 >= 0 && !fstat(fd2, &st2) && st2.st_ino == st.st_ino,
	       "the handle exports the same dma-buf back");
	close(fd);
	if (fd2 >= 0)
		close(fd2);

	n = iomem_find(NULL, NULL, 1);
	result(n == 1 && sysfs_num(sys, "buffers") == 1,
	       "every fd closed: vgem's import keeps the chunk (%d line)", n);
	if (ioctl(dri, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){
			.handle = (__u32)h }))
		result(0, "GEM_CLOSE: %s", strerror(errno));
	result(nothing_held(sys),
	       "GEM_CLOSE frees it: no iomem line, buffers and bytes 0");
}

int cmd_drm(const char *path, const char *card, uint64_t len)
{
	int heap = open_heap(path), dri;
	char name[32];
	int ret;

	dri = open(card, O_RDWR | O_CLOEXEC);
	if (dri < 0) {
		result(0, "open %s: %s", card, strerror(errno));
		return 1;
	}
	ret = drm_driver_name(dri, name, sizeof(name));
	result(!ret && !strcmp(name, "vgem"), "%s is vgem's (driver \"%s\")",
	       card, ret ? strerror(-ret) : name);
	if (!ret && !strcmp(name, "vgem") && strrchr(path, '/'))
		drm_import_checks(heap, path, dri, len);
	close(dri);
	close(heap);
	return failures ? 1 : 0;
}
