/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a red-black tree with the kernel's rb_* interface (the
 * subset cmafw uses), written from the textbook algorithm in ../rbtree.c.
 */
#ifndef _SHIM_LINUX_RBTREE_H
#define _SHIM_LINUX_RBTREE_H

#include <linux/types.h>

struct rb_node {
	struct rb_node *__rb_parent;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
	bool __rb_red;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root) { NULL })

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define rb_entry(ptr, type, member) container_of(ptr, type, member)

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent = parent;
	node->rb_left = NULL;
	node->rb_right = NULL;
	node->__rb_red = true;
	*rb_link = node;
}

static inline void rb_add(struct rb_node *node, struct rb_root *tree,
			  bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node;
	struct rb_node *parent = NULL;

	while (*link) {
		parent = *link;
		if (less(node, parent))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
}

/*
 * Test hook, not kernel API: the tree's black height, or -1 if the tree
 * breaks a red-black or parent-link invariant.
 */
int shim_rb_black_height(const struct rb_root *root);

#endif /* _SHIM_LINUX_RBTREE_H */
