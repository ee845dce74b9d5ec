// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: lets shell tests act as named devices and as a driver that
 * owns regions.  Root writes one command to
 * /sys/kernel/debug/cmafw_test/ctl and reads the answer back on the same
 * open file.  The commands and answers are in selftests/cmafw/README.md.
 * This module exists for testing only.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <linux/cmafw.h>
#include <linux/cmafw-allocator.h>

#include "test_coexist.h"
#include "test_coherent.h"
#include "test_dmabuf.h"
#include "test_hold.h"
#include "test_lend.h"
#include "test_of.h"
#include "test_online.h"
#include "test_stress.h"

#define CMD_MAX		4200
#define ANSWER_MAX	160
#define ARGS_MAX	8

/* A device that exists only to carry a name into cma_alloc(). */
struct test_dev {
	struct device dev;
	struct list_head node;
};

/*
 * A region this module registered, as a driver would.  It stays while it
 * is on test_regions or an unregister call is under way (@users), under
 * test_lock.
 */
struct test_region {
	struct cma_region reg;
	struct list_head node;
	unsigned int users;
	char handle[32];
	char name[40];
	char alloc[40];
};

static DEFINE_MUTEX(test_lock);	/* test_devs and test_regions */
static LIST_HEAD(test_devs);
static LIST_HEAD(test_regions);
static struct dentry *test_dir;

static void test_dev_release(struct device *dev)
{
	kfree(container_of(dev, struct test_dev, dev));
}

static struct device *test_dev_get(const char *name)
{
	struct test_dev *t;

	list_for_each_entry(t, &test_devs, node)
		if (!strcmp(dev_name(&t->dev), name))
			return &t->dev;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	device_initialize(&t->dev);
	t->dev.release = test_dev_release;
	if (dev_set_name(&t->dev, "%s", name)) {
		put_device(&t->dev);
		return NULL;
	}
	list_add(&t->node, &test_devs);
	return &t->dev;
}

static struct test_region *test_region_find(const char *handle)
{
	struct test_region *t;

	list_for_each_entry(t, &test_regions, node)
		if (!strcmp(t->handle, handle))
			return t;
	return NULL;
}

/* "-" stands for NULL. */
static const char *opt(const char *arg)
{
	return strcmp(arg, "-") ? arg : NULL;
}

static int parse_size(const char *arg, u64 *val)
{
	char *end;

	*val = memparse(arg, &end);
	return end == arg || *end ? -EINVAL : 0;
}

static int answer_addr(char *out, dma_addr_t addr)
{
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	snprintf(out, ANSWER_MAX, "ok %pad", &addr);
	return 0;
}

/*
 * @info was filled with junk before the call: on error it must come back
 * zeroed, as the seed's did, or the answer says so.
 */
static int answer_info(char *out, const struct cma_info *info, int ret)
{
	if (!ret)
		snprintf(out, ANSWER_MAX,
			 "ok lower=%pad upper=%pad total=%zu free=%zu count=%u",
			 &info->lower_bound, &info->upper_bound,
			 info->total_size, info->free_size, info->count);
	else if (memchr_inv(info, 0, sizeof(*info)))
		snprintf(out, ANSWER_MAX, "err %d, info not zeroed", ret);
	else
		return ret;
	return 0;
}

static int cmd_alloc(char **argv, char *out)
{
	struct device *dev = NULL;
	u64 size, align;

	if (parse_size(argv[3], &size) || parse_size(argv[4], &align))
		return -EINVAL;
	if (opt(argv[1])) {
		dev = test_dev_get(argv[1]);
		if (!dev)
			return -ENOMEM;
	}
	return answer_addr(out, cma_alloc(dev, opt(argv[2]), size, align));
}

static int cmd_from(char **argv, char *out)
{
	u64 size, align;

	if (parse_size(argv[2], &size) || parse_size(argv[3], &align))
		return -EINVAL;
	return answer_addr(out, cma_alloc_from(opt(argv[1]), size, align));
}

static int cmd_region_alloc(char **argv, char *out)
{
	struct test_region *t = test_region_find(argv[1]);
	u64 size, align;

	if (!t || parse_size(argv[2], &size) || parse_size(argv[3], &align))
		return -EINVAL;
	return answer_addr(out, cma_alloc_from_region(&t->reg, size, align));
}

static int cmd_free(char **argv, char *out)
{
	u64 addr;

	if (kstrtou64(argv[1], 0, &addr))
		return -EINVAL;
	/* Half the frees go through the file that also sees <linux/cma.h>. */
	if (addr & PAGE_SIZE)
		return cmafw_test_coexist_free(addr);
	return cma_free(addr);
}

static int cmd_info(char **argv, char *out)
{
	struct device *dev = NULL;
	struct cma_info info;

	if (opt(argv[1])) {
		dev = test_dev_get(argv[1]);
		if (!dev)
			return -ENOMEM;
	}
	memset(&info, 0xa5, sizeof(info));
	return answer_info(out, &info, cma_info(&info, dev, opt(argv[2])));
}

static int cmd_info_about(char **argv, char *out)
{
	struct cma_info info;

	memset(&info, 0xa5, sizeof(info));
	return answer_info(out, &info, cma_info_about(&info, opt(argv[1])));
}

/*
 * Register a region of this module's: HANDLE NAME|- START SIZE ALIGN
 * ALLOCATOR|-, from @argv[1] on.
 */
static int test_region_add(char **argv, bool lend, char *out)
{
	struct test_region *t;
	u64 start, size, align;
	int ret;

	if (test_region_find(argv[1]) || strlen(argv[1]) >= sizeof(t->handle) ||
	    strlen(argv[2]) >= sizeof(t->name) ||
	    strlen(argv[6]) >= sizeof(t->alloc) ||
	    parse_size(argv[3], &start) || parse_size(argv[4], &size) ||
	    parse_size(argv[5], &align))
		return -EINVAL;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	strscpy(t->handle, argv[1], sizeof(t->handle));
	strscpy(t->name, argv[2], sizeof(t->name));
	strscpy(t->alloc, argv[6], sizeof(t->alloc));
	t->reg.name = opt(t->name) ? t->name : NULL;
	t->reg.alloc_name = opt(t->alloc) ? t->alloc : NULL;
	t->reg.start = start;
	t->reg.size = size;
	t->reg.alignment = align;
	t->reg.lend = lend;
	ret = cma_region_register(&t->reg);
	if (ret) {
		kfree(t);
		return ret;
	}
	/* Like a driver, this module cannot go while its regions exist. */
	__module_get(THIS_MODULE);
	list_add(&t->node, &test_regions);
	snprintf(out, ANSWER_MAX, "ok start=%pad size=%zu align=%pad",
		 &t->reg.start, t->reg.size, &t->reg.alignment);
	return 0;
}

static int cmd_register(char **argv, char *out)
{
	return test_region_add(argv, false, out);
}

static int cmd_register_lend(char **argv, char *out)
{
	return test_region_add(argv, true, out);
}

/*
 * Unregister with test_lock dropped: a lend region's take-back may wait
 * for seconds, or on "unhold", and other commands (and a second
 * unregister of the same region) run meanwhile.
 */
static int cmd_unregister(char **argv, char *out)
{
	struct test_region *t = test_region_find(argv[1]);
	int ret;

	if (!t)
		return -EINVAL;
	t->users++;
	mutex_unlock(&test_lock);
	ret = cma_region_unregister(&t->reg);
	mutex_lock(&test_lock);
	if (!ret) {
		list_del_init(&t->node);
		module_put(THIS_MODULE);
	}
	if (!--t->users && list_empty(&t->node))
		kfree(t);
	return ret;
}

/*
 * Unregister through a copy of the region's struct, as a driver that
 * moved it would: refused, and the region stays registered.
 */
static int cmd_unregister_copy(char **argv, char *out)
{
	struct test_region *t = test_region_find(argv[1]);
	struct cma_region copy;

	if (!t)
		return -EINVAL;
	copy = t->reg;
	return cma_region_unregister(&copy);
}

/*
 * Unregister the region, then a copy of its struct made before: a driver
 * that kept a stale copy.  The first answer must be 0; the second is the
 * command's.
 */
static int cmd_unregister_stale(char **argv, char *out)
{
	struct test_region *t = test_region_find(argv[1]);
	struct cma_region copy;
	int ret;

	if (!t || t->users)
		return -EINVAL;
	copy = t->reg;
	ret = cma_region_unregister(&t->reg);
	if (ret)
		return ret;
	list_del_init(&t->node);
	module_put(THIS_MODULE);
	kfree(t);
	return cma_region_unregister(&copy);
}

/*
 * "whole": an allocator from another module, to test pluggability and
 * pinning, registered under the seed's name cma_allocator_register().
 * It hands out the whole region start to one chunk at a time.
 */
struct whole_state {
	dma_addr_t base;
	size_t size;
	bool busy;
};

/*
 * While the parameter whole_hold is Y, "whole" holds every allocation
 * inside the allocator (at most a minute), as a lend region holds one
 * while the kernel vacates memory; whole_held counts those waiting.
 * Writing N lets them go.
 */
static DECLARE_WAIT_QUEUE_HEAD(whole_wq);
static bool whole_hold;
static atomic_t whole_held = ATOMIC_INIT(0);

static int whole_hold_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	wake_up_all(&whole_wq);
	return ret;
}

static const struct kernel_param_ops whole_hold_ops = {
	.set = whole_hold_set,
	.get = param_get_bool,
};
module_param_cb(whole_hold, &whole_hold_ops, &whole_hold, 0600);
MODULE_PARM_DESC(whole_hold, "hold allocations of the \"whole\" allocator");

static int whole_held_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&whole_held));
}

static const struct kernel_param_ops whole_held_ops = {
	.get = whole_held_get,
};
module_param_cb(whole_held, &whole_held_ops, NULL, 0400);
MODULE_PARM_DESC(whole_held, "allocations \"whole\" is holding");

/* Bytes "whole" adds to its placements, as a broken allocator would. */
static ulong whole_misplace;
module_param(whole_misplace, ulong, 0600);
MODULE_PARM_DESC(whole_misplace, "bytes the \"whole\" allocator misplaces by");

static void *whole_init(dma_addr_t base, size_t size)
{
	struct whole_state *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return ERR_PTR(-ENOMEM);
	w->base = base;
	w->size = size;
	return w;
}

static void whole_cleanup(void *priv)
{
	kfree(priv);
}

static int whole_alloc(void *priv, size_t size, dma_addr_t align,
		       dma_addr_t *addr)
{
	struct whole_state *w = priv;

	if (READ_ONCE(whole_hold)) {
		atomic_inc(&whole_held);
		wait_event_timeout(whole_wq, !READ_ONCE(whole_hold), 60 * HZ);
		atomic_dec(&whole_held);
	}
	if (w->busy || size > w->size || !IS_ALIGNED(w->base, align))
		return -ENOMEM;
	w->busy = true;
	*addr = w->base + READ_ONCE(whole_misplace);
	return 0;
}

static void whole_free(void *priv, dma_addr_t addr, size_t size)
{
	struct whole_state *w = priv;

	w->busy = false;
}

#define WHOLE_OPS \
	.init = whole_init, .cleanup = whole_cleanup, \
	.alloc = whole_alloc, .free = whole_free

/* No .owner: cma_allocator_register() makes this module its owner. */
static struct cma_allocator whole_allocator = {
	.name = "whole",
	WHOLE_OPS,
};

/*
 * "wholeraw": the same ops, registered through cmafw_allocator_register()
 * from a file with CMAFW_NO_SEED_NAMES, and no .owner either.
 */
static struct cma_allocator wholeraw_allocator = {
	.name = "wholeraw",
	WHOLE_OPS,
};

static bool wholeraw_registered;

static int cmd_allocator_register_raw(char **argv, char *out)
{
	int ret = cmafw_test_coexist_allocator_register(&wholeraw_allocator);

	wholeraw_registered |= !ret;
	return ret;
}

static int cmd_allocator_unregister_raw(char **argv, char *out)
{
	int ret = cmafw_allocator_unregister(&wholeraw_allocator);

	wholeraw_registered &= !!ret;
	return ret;
}

static int cmd_allocator_register(char **argv, char *out)
{
	return cma_allocator_register(&whole_allocator);
}

static int cmd_allocator_unregister(char **argv, char *out)
{
	return cma_allocator_unregister(&whole_allocator);
}

/* An allocator never registered, whose name was never set. */
static int cmd_allocator_unregister_unnamed(char **argv, char *out)
{
	static struct cma_allocator unnamed;

	return cma_allocator_unregister(&unnamed);
}

static const struct test_cmd {
	const char *name;
	int argc;
	int (*run)(char **argv, char *out);
} test_cmds[] = {
	{ "alloc", 5, cmd_alloc },
	{ "from", 4, cmd_from },
	{ "region_alloc", 4, cmd_region_alloc },
	{ "free", 2, cmd_free },
	{ "info", 3, cmd_info },
	{ "info_about", 2, cmd_info_about },
	{ "register", 7, cmd_register },
	{ "register_lend", 7, cmd_register_lend },
	{ "unregister", 2, cmd_unregister },
	{ "unregister_copy", 2, cmd_unregister_copy },
	{ "unregister_stale", 2, cmd_unregister_stale },
	{ "allocator_register", 1, cmd_allocator_register },
	{ "allocator_unregister", 1, cmd_allocator_unregister },
	{ "allocator_unregister_unnamed", 1, cmd_allocator_unregister_unnamed },
	{ "allocator_register_raw", 1, cmd_allocator_register_raw },
	{ "allocator_unregister_raw", 1, cmd_allocator_unregister_raw },
	{ "stress", 4, cmafw_test_stress },
	{ "dmabuf", 2, cmafw_test_dmabuf },
	{ "dmabuf_limit", 3, cmafw_test_dmabuf_limit },
	{ "dmabuf_offset", 3, cmafw_test_dmabuf_offset },
	{ "nonzero", 3, cmafw_test_nonzero },
	{ "fill", 4, cmafw_test_fill },
	{ "inuse", 3, cmafw_test_inuse },
	{ "pin", 2, cmafw_test_pin },
	{ "unpin", 2, cmafw_test_unpin },
	{ "abandon", 2, cmafw_test_abandon },
	{ "hold", 2, cmafw_test_hold },
	{ "held", 1, cmafw_test_held },
	{ "unhold", 1, cmafw_test_unhold },
	{ "release", 1, cmafw_test_release },
	{ "hold_online", 2, cmafw_test_hold_online },
	{ "online_held", 1, cmafw_test_online_held },
	{ "online_go", 1, cmafw_test_online_go },
	{ "refuse_online", 2, cmafw_test_refuse_online },
	{ "refuse_offline", 2, cmafw_test_refuse_offline },
	{ "hold_offline", 2, cmafw_test_hold_offline },
	{ "offline_held", 1, cmafw_test_offline_held },
	{ "offline_go", 1, cmafw_test_offline_go },
	{ "timing", 4, cmafw_test_timing },
	{ "coherent_timing", 5, cmafw_test_coherent_timing },
#ifdef CONFIG_OF
	{ "pdev_alloc", 5, cmafw_test_pdev_alloc },
	{ "pdev_coherent", 2, cmafw_test_pdev_coherent },
	{ "wc_rw", 3, cmafw_test_wc_rw },
#endif
};

static int test_run(char *line, char *out)
{
	char *argv[ARGS_MAX];
	int argc = 0, i;
	char *arg;

	/* "map" takes the rest of the line verbatim, even when empty. */
	if (!strncmp(line, "map", 3) && (!line[3] || line[3] == ' '))
		return cmafw_map_set(line[3] ? line + 4 : "");

	while (argc < ARGS_MAX && (arg = strsep(&line, " ")))
		if (*arg)
			argv[argc++] = arg;
	if (!argc || line)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(test_cmds); i++) {
		if (strcmp(argv[0], test_cmds[i].name))
			continue;
		if (argc != test_cmds[i].argc)
			return -EINVAL;
		return test_cmds[i].run(argv, out);
	}
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char *answer = file->private_data;
	char *line;
	int ret;

	if (count >= CMD_MAX)
		return -EINVAL;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	strim(line);

	strscpy(answer, "ok", ANSWER_MAX);
	mutex_lock(&test_lock);
	ret = test_run(line, answer);
	mutex_unlock(&test_lock);
	if (ret)
		snprintf(answer, ANSWER_MAX, "err %d", ret);
	kfree(line);
	/* The answer is read from the start of the same open file. */
	*ppos = 0;
	return count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	char buf[ANSWER_MAX + 1];
	size_t len;

	len = scnprintf(buf, sizeof(buf), "%s\n", (char *)file->private_data);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static int ctl_open(struct inode *inode, struct file *file)
{
	file->private_data = kzalloc(ANSWER_MAX, GFP_KERNEL);
	return file->private_data ? 0 : -ENOMEM;
}

static int ctl_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = ctl_release,
	.read = ctl_read,
	.write = ctl_write,
};

static int __init cmafw_test_init(void)
{
	int ret = cma_allocator_register(&whole_allocator);

	if (ret)
		return ret;
	ret = cmafw_test_of_init();
	if (ret)
		goto out_whole;
	ret = cmafw_test_online_init();
	if (ret) {
		cmafw_test_of_exit();
		goto out_whole;
	}
	test_dir = debugfs_create_dir("cmafw_test", NULL);
	debugfs_create_file("ctl", 0600, test_dir, NULL, &ctl_fops);
	return 0;

out_whole:
	cmafw_allocator_unregister(&whole_allocator);
	return ret;
}

static void __exit cmafw_test_exit(void)
{
	struct test_dev *t, *next;

	debugfs_remove_recursive(test_dir);
	cmafw_test_hold_exit();
	cmafw_test_online_exit();
	cmafw_test_lend_exit();
	cmafw_test_coherent_exit();
	cmafw_test_of_exit();
	/* Regions pin the module: none is left and "whole" is unused. */
	cma_allocator_unregister(&whole_allocator);
	if (wholeraw_registered)
		cmafw_allocator_unregister(&wholeraw_allocator);
	list_for_each_entry_safe(t, next, &test_devs, node)
		put_device(&t->dev);
}

module_init(cmafw_test_init);
module_exit(cmafw_test_exit);

MODULE_DESCRIPTION("Test driver for cmafw: named devices and regions from the shell");
MODULE_LICENSE("GPL");
