// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: lend mode's figures in sysfs, for lend regions only (sysfs.c has
 * every region's, "mode" among them).  Each is read under the region's
 * mutex, which guards the record (lend_state.h).
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "lend.h"
#include "lend_state.h"
#include "sysfs_figure.h"

static int lend_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The @pct percentile of the recent reclaim times, in microseconds. */
static u32 lend_percentile(struct cma_region_state *state, unsigned int pct)
{
	struct cmafw_lend *l = state->lend;
	unsigned long n = l->nr_reclaim + l->nr_reclaim_fail;
	u32 *v, ret = 0;

	n = min_t(unsigned long, n, LEND_RECENT);
	if (!n)
		return 0;
	v = kmemdup(l->recent_us, n * sizeof(*v), GFP_KERNEL);
	if (!v)
		return 0;
	sort(v, n, sizeof(*v), lend_cmp_u32, NULL);
	ret = v[DIV_ROUND_UP(n * pct, 100) - 1];
	kfree(v);
	return ret;
}

#define LEND_FIGURE(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct cma_region_state *state = to_state(kobj);		\
	struct cmafw_lend *l;						\
	ssize_t len;							\
									\
	if (mutex_lock_killable(&state->lock))				\
		return -EINTR;						\
	l = state->lend;						\
	len = l ? sysfs_emit(buf, _fmt "\n", _expr) : -ENODEV;		\
	mutex_unlock(&state->lock);					\
	return len;							\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

LEND_FIGURE(lent, "%llu", (unsigned long long)(l->nr_pb - l->taken_pb) *
	    pageblock_nr_pages * PAGE_SIZE);
LEND_FIGURE(offline, "%llu", (unsigned long long)l->nr_stranded *
	    pageblock_nr_pages * PAGE_SIZE);
LEND_FIGURE(reclaims, "%lu", l->nr_reclaim);
LEND_FIGURE(reclaim_failures, "%lu", l->nr_reclaim_fail);
LEND_FIGURE(reclaim_retries, "%lu", l->nr_retries);
LEND_FIGURE(reclaimed, "%llu", l->reclaimed);
LEND_FIGURE(reclaim_p50_us, "%u", lend_percentile(state, 50));
LEND_FIGURE(reclaim_p99_us, "%u", lend_percentile(state, 99));
/* Not from the record, which the take-back frees before the files go. */
CMAFW_FIGURE(leaving, "%d", state->leaving);

static struct attribute *cmafw_lend_attrs[] = {
	&lent_attr.attr,
	&offline_attr.attr,
	&reclaims_attr.attr,
	&reclaim_failures_attr.attr,
	&reclaim_retries_attr.attr,
	&reclaimed_attr.attr,
	&reclaim_p50_us_attr.attr,
	&reclaim_p99_us_attr.attr,
	&leaving_attr.attr,
	NULL,
};

/* A region's mode is fixed while it is registered, so is its file set. */
static umode_t cmafw_lend_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	return to_state(kobj)->lend_mode ? a->mode : 0;
}

const struct attribute_group cmafw_lend_attr_group = {
	.attrs = cmafw_lend_attrs,
	.is_visible = cmafw_lend_visible,
};
