/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: a region's sysfs figures, one attribute each, for sysfs.c (every
 * region's) and lend_sysfs.c (a lend region's).
 */
#ifndef _CMAFW_SYSFS_FIGURE_H
#define _CMAFW_SYSFS_FIGURE_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "internal.h"

#define to_state(k) container_of(k, struct cma_region_state, kobj)

/*
 * One attribute per figure: NAME_show() formats it under the mutex, which
 * a lend region's take-back may hold for seconds: a fatal signal ends the
 * wait (-EINTR).  A physical address is root's only, as /proc/iomem
 * shows it to root only.
 */
#define CMAFW_FIGURE_MODE(_name, _mode, _fmt, _expr)			\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct cma_region_state *state = to_state(kobj);		\
	ssize_t len;							\
									\
	if (mutex_lock_killable(&state->lock))				\
		return -EINTR;						\
	len = sysfs_emit(buf, _fmt "\n", _expr);			\
	mutex_unlock(&state->lock);					\
	return len;							\
}									\
static struct kobj_attribute _name##_attr = __ATTR(_name, _mode, _name##_show, NULL)
#define CMAFW_FIGURE(_name, _fmt, _expr)				\
	CMAFW_FIGURE_MODE(_name, 0444, _fmt, _expr)

#endif /* _CMAFW_SYSFS_FIGURE_H */
