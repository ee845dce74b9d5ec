// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: a red-black tree after the textbook algorithm (Cormen et
 * al., "Introduction to Algorithms", chapter 13), with NULL for the leaves
 * and an explicit parent pointer and colour in every node.
 */
#include <linux/rbtree.h>

#define parent_of(node)	((node)->__rb_parent)

static bool is_red(const struct rb_node *node)
{
	return node && node->__rb_red;
}

/* Put @new where @old hangs from its parent (or the root). */
static void replace_child(struct rb_root *root, struct rb_node *old,
			  struct rb_node *new)
{
	struct rb_node *parent = parent_of(old);

	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->__rb_parent = parent;
}

/* @x's right child takes @x's place; @x becomes its left child. */
static void rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->__rb_parent = x;
	replace_child(root, x, y);
	y->rb_left = x;
	x->__rb_parent = y;
}

/* @x's left child takes @x's place; @x becomes its right child. */
static void rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->__rb_parent = x;
	replace_child(root, x, y);
	y->rb_right = x;
	x->__rb_parent = y;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *grandparent, *uncle;

	node->__rb_red = true;
	while (is_red(parent = parent_of(node))) {
		/* A red parent is never the root: the grandparent exists. */
		grandparent = parent_of(parent);
		uncle = parent == grandparent->rb_left ? grandparent->rb_right :
							 grandparent->rb_left;
		if (is_red(uncle)) {
			parent->__rb_red = false;
			uncle->__rb_red = false;
			grandparent->__rb_red = true;
			node = grandparent;
			continue;
		}
		/* Rotate the middle of the three into the grandparent's place. */
		if (parent == grandparent->rb_left) {
			if (node == parent->rb_right) {
				rotate_left(root, parent);
				parent = node;
			}
			rotate_right(root, grandparent);
		} else {
			if (node == parent->rb_left) {
				rotate_right(root, parent);
				parent = node;
			}
			rotate_left(root, grandparent);
		}
		parent->__rb_red = false;
		grandparent->__rb_red = true;
		break;
	}
	root->rb_node->__rb_red = false;
}

/*
 * A black node was removed above @node (possibly NULL), the child of
 * @parent: that side is one black short.
 */
static void erase_fixup(struct rb_root *root, struct rb_node *node,
			struct rb_node *parent)
{
	struct rb_node *sibling;

	while (node != root->rb_node && !is_red(node)) {
		/* The short side has a sibling with at least one black. */
		if (node == parent->rb_left) {
			sibling = parent->rb_right;
			if (is_red(sibling)) {
				sibling->__rb_red = false;
				parent->__rb_red = true;
				rotate_left(root, parent);
				sibling = parent->rb_right;
			}
			if (!is_red(sibling->rb_left) &&
			    !is_red(sibling->rb_right)) {
				sibling->__rb_red = true;
				node = parent;
				parent = parent_of(node);
				continue;
			}
			if (!is_red(sibling->rb_right)) {
				sibling->rb_left->__rb_red = false;
				sibling->__rb_red = true;
				rotate_right(root, sibling);
				sibling = parent->rb_right;
			}
			sibling->__rb_red = parent->__rb_red;
			parent->__rb_red = false;
			sibling->rb_right->__rb_red = false;
			rotate_left(root, parent);
		} else {
			sibling = parent->rb_left;
			if (is_red(sibling)) {
				sibling->__rb_red = false;
				parent->__rb_red = true;
				rotate_right(root, parent);
				sibling = parent->rb_left;
			}
			if (!is_red(sibling->rb_left) &&
			    !is_red(sibling->rb_right)) {
				sibling->__rb_red = true;
				node = parent;
				parent = parent_of(node);
				continue;
			}
			if (!is_red(sibling->rb_left)) {
				sibling->rb_right->__rb_red = false;
				sibling->__rb_red = true;
				rotate_left(root, sibling);
				sibling = parent->rb_left;
			}
			sibling->__rb_red = parent->__rb_red;
			parent->__rb_red = false;
			sibling->rb_left->__rb_red = false;
			rotate_right(root, parent);
		}
		node = root->rb_node;
	}
	if (node)
		node->__rb_red = false;
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *child, *parent, *successor;
	bool removed_red;

	if (!node->rb_left || !node->rb_right) {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = parent_of(node);
		removed_red = node->__rb_red;
		replace_child(root, node, child);
	} else {
		/* The successor, which has no left child, moves up. */
		successor = node->rb_right;
		while (successor->rb_left)
			successor = successor->rb_left;
		removed_red = successor->__rb_red;
		child = successor->rb_right;
		if (parent_of(successor) == node) {
			parent = successor;
		} else {
			parent = parent_of(successor);
			replace_child(root, successor, child);
			successor->rb_right = node->rb_right;
			successor->rb_right->__rb_parent = successor;
		}
		replace_child(root, node, successor);
		successor->rb_left = node->rb_left;
		successor->rb_left->__rb_parent = successor;
		successor->__rb_red = node->__rb_red;
	}
	if (!removed_red)
		erase_fixup(root, child, parent);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *node = root->rb_node;

	while (node && node->rb_left)
		node = node->rb_left;
	return node;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *node = root->rb_node;

	while (node && node->rb_right)
		node = node->rb_right;
	return node;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = parent_of(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = parent_of(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}

static int black_height(const struct rb_node *node,
			const struct rb_node *parent)
{
	int left, right;

	if (!node)
		return 1;
	if (parent_of(node) != parent ||
	    (is_red(node) && (is_red(node->rb_left) || is_red(node->rb_right))))
		return -1;
	left = black_height(node->rb_left, node);
	right = black_height(node->rb_right, node);
	if (left < 0 || left != right)
		return -1;
	return left + !is_red(node);
}

int shim_rb_black_height(const struct rb_root *root)
{
	if (is_red(root->rb_node))
		return -1;
	return black_height(root->rb_node, NULL);
}
