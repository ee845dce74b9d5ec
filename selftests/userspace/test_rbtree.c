// SPDX-License-Identifier: GPL-2.0
/* The shim's red-black tree must be one, or the allocator tests mean less. */
#include <linux/rbtree.h>

#include "rand.h"
#include "test.h"

#define NR_ITEMS 2000
#define NR_OPS 40000

struct item {
	struct rb_node node;
	unsigned int key;
	bool in_tree;
};

static bool item_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct item, node)->key <
	       rb_entry(b, struct item, node)->key;
}

/* In order both ways, with exactly the items marked in the tree. */
static bool tree_consistent(struct rb_root *root, struct item *items)
{
	unsigned int count = 0, expected = 0, i;
	struct rb_node *node, *prev = NULL;

	for (i = 0; i < NR_ITEMS; i++)
		expected += items[i].in_tree;
	for (node = rb_first(root); node; prev = node, node = rb_next(node)) {
		if (prev && item_less(node, prev))
			return false;
		if (rb_prev(node) != prev)
			return false;
		count++;
	}
	return prev == rb_last(root) && count == expected;
}

void test_rbtree(void)
{
	static struct item items[NR_ITEMS];
	struct rb_root root = RB_ROOT;
	u64 seed = 0x5eed;
	bool valid = true;
	int op, height, max_height = 0;
	unsigned int i;

	test_begin();
	for (i = 0; i < NR_ITEMS; i++)
		items[i].key = rand_below(&seed, NR_ITEMS / 2); /* duplicates */
	for (op = 0; op < NR_OPS && valid; op++) {
		struct item *it = &items[rand_below(&seed, NR_ITEMS)];

		if (it->in_tree)
			rb_erase(&it->node, &root);
		else
			rb_add(&it->node, &root, item_less);
		it->in_tree = !it->in_tree;

		height = shim_rb_black_height(&root);
		if (height > max_height)
			max_height = height;
		valid = EXPECTF(height > 0, "red-black invariants after op %d",
				op);
		if (op % 97 == 0)
			valid &= EXPECTF(tree_consistent(&root, items),
					 "order and links after op %d", op);
	}
	EXPECT(tree_consistent(&root, items));
	/* 2000 nodes: black height at most log2(2001) + 1. */
	EXPECTF(max_height <= 12, "black height %d", max_height);
	test_end("shim rbtree: %d random inserts/erases keep the invariants",
		 NR_OPS);
}
