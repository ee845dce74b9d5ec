// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the grammar of one region of the regions parameter, shared by the
 * module's regions= (params.c) and the built-in kernel's cmafw.regions=
 * (early_param.c):
 *
 *	NAME=SIZE[@START][/ALIGN][:ALLOCATOR][,carve|,lend]
 *
 * Nothing here allocates or sleeps, so it also runs from an early_param
 * handler, before the kernel has any allocator.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"

static int cmafw_param_error(const char *base, const char *at,
			     const char *what)
{
	pr_err("regions: column %td: %s\n", at - base + 1, what);
	return -EINVAL;
}

/* Copy the name [from, to) into @dst, which holds CMAFW_NAME_MAX + 1. */
static bool cmafw_param_name(char *dst, const char *from, const char *to)
{
	if (to - from > CMAFW_NAME_MAX)
		return false;
	memcpy(dst, from, to - from);
	dst[to - from] = '\0';
	return cmafw_name_valid(dst);
}

/* Parse the number at *@at up to one of @stops; advance *@at past it. */
static int cmafw_param_number(const char *base, const char **at,
			      const char *stops, u64 *val, const char *what)
{
	size_t len = strcspn(*at, stops);
	int ret = cmafw_parse_size(*at, len, val);

	if (ret) {
		pr_err("regions: column %td: expected %s%s\n", *at - base + 1,
		       what, ret == -ERANGE ? " that fits 64 bits" : "");
		return -EINVAL;
	}
	*at += len;
	return 0;
}

/**
 * cmafw_param_parse() - parse one region of the regions parameter.
 * @reg:	filled in: name, size, start, alignment, alloc_name and lend.
 * @name:	storage for the name, CMAFW_NAME_MAX + 1 bytes.
 * @alloc:	storage for the allocator's name, CMAFW_NAME_MAX + 1 bytes.
 * @base:	the whole parameter, for the column in error messages.
 * @spec:	this region's text, NUL-terminated, inside @base.
 * @need_start:	whether @START is required (it is for the module, whose
 *		regions must lie outside the RAM the kernel manages).
 *
 * On error one line in the kernel log gives the column and what was
 * expected there.
 *
 * Return: 0 or -EINVAL.
 */
int cmafw_param_parse(struct cma_region *reg, char *name, char *alloc,
		      const char *base, const char *spec, bool need_start)
{
	const char *eq = strchr(spec, '='), *at;
	u64 val;

	if (!eq || !cmafw_param_name(name, spec, eq))
		return cmafw_param_error(base, spec, need_start ?
					 "expected NAME=SIZE@START with a valid region name" :
					 "expected NAME=SIZE with a valid region name");
	reg->name = name;
	at = eq + 1;
	if (cmafw_param_number(base, &at, "@/:,", &val, "a size"))
		return -EINVAL;
	if (val > SIZE_MAX)
		return cmafw_param_error(base, eq + 1,
					 "expected a size that fits the address space");
	reg->size = val;
	if (*at == '@') {
		const char *start = ++at;

		if (cmafw_param_number(base, &at, "/:,", &val,
				       "a start address"))
			return -EINVAL;
		/* At boot a start of 0 means "place it": not what was asked. */
		if (!val && !need_start)
			return cmafw_param_error(base, start,
						 "a boot region cannot be fixed at 0; leave out @START to have it placed");
		reg->start = val;
	} else if (need_start) {
		return cmafw_param_error(base, at,
					 "expected @START after the size: a region needs its start address");
	}
	if (*at == '/') {
		at++;
		spec = at;
		if (cmafw_param_number(base, &at, ":,", &val, "an alignment"))
			return -EINVAL;
		/* Zero is no alignment, as in struct cma_region. */
		if (val && !cmafw_is_pow2(val))
			return cmafw_param_error(base, spec,
						 "expected an alignment that is 0 or a power of two");
		reg->alignment = val;
	}
	if (*at == ':') {
		spec = ++at;
		at += strcspn(at, ",");
		if (!cmafw_param_name(alloc, spec, at))
			return cmafw_param_error(base, spec,
						 "expected an allocator name");
		reg->alloc_name = alloc;
	}
	if (*at == ',') {
		reg->lend = !strcmp(at + 1, "lend");
		if (!reg->lend && strcmp(at + 1, "carve"))
			return cmafw_param_error(base, at + 1,
						 "expected the mode carve or lend");
		at += strlen(at);
	}
	if (*at)
		return cmafw_param_error(base, at,
					 "expected ':ALLOCATOR', ',MODE', ';' or the end");
	return 0;
}
