// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the cmafw pure-logic files (kernel/map.c and the
 * allocators), built in userspace over shim/.
 */
#include "test.h"

int main(void)
{
	test_rbtree();
	test_map();
	test_alloc();
	test_alloc_bitmap();
	return test_summary();
}
