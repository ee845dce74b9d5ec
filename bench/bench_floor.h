/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The floor backend (bench_floor.c): what any framework that records its
 * chunks in the resource tree must add to its placement.
 */
#ifndef _CMAFW_BENCH_FLOOR_H
#define _CMAFW_BENCH_FLOOR_H

#include "bench_core.h"

extern const struct bench_backend bench_floor;

#endif /* _CMAFW_BENCH_FLOOR_H */
