// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the device -> regions map.
 *
 * A map such as "video,camera=r1,r2;foo/a=r3;*=common" is checked in full,
 * then compiled into an array of patterns in text order.  Every pattern
 * points into a private copy of the text, so a lookup neither allocates
 * nor copies: it walks the patterns once and returns the region list of
 * the first one that matches.
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "map.h"
#include "name.h"

/*
 * The longest map: read back with its newline and the NUL of
 * sysfs_emit(), it fills one page.  (A configfs store is held to the same
 * length for another reason, in configfs.c.)
 */
#define CMAFW_MAP_MAX_LEN	4094

/**
 * struct cmafw_pattern - one pattern of a rule, pointing into the map text.
 * @dev:	device pattern; unused when @dev_len is 0 ("/type").
 * @dev_len:	length of @dev; 0 for an empty device part.
 * @type:	type pattern; NULL when the pattern has no '/' (any type).
 * @type_len:	length of @type.
 * @regions:	the rule's region list, ending at ';' or NUL.
 */
struct cmafw_pattern {
	const char *dev;
	size_t dev_len;
	const char *type;
	size_t type_len;
	const char *regions;
};

/**
 * struct cmafw_map - a parsed map.
 * @text:	the map text, without the trailing newline.
 * @nr_patterns: number of entries in @patterns.
 * @patterns:	every pattern of every rule, in text order.
 */
struct cmafw_map {
	char *text;
	size_t nr_patterns;
	struct cmafw_pattern patterns[] __counted_by(nr_patterns);
};

/**
 * struct map_parser - cursor over the map text.
 * @text:	start of the text; columns count from here.
 * @pos:	next character to read.
 * @end:	end of the text (a trailing newline is left outside).
 * @map:	where to record patterns; NULL while only checking.
 * @nr_patterns: patterns seen so far.
 */
struct map_parser {
	const char *text;
	const char *pos;
	const char *end;
	struct cmafw_map *map;
	size_t nr_patterns;
};

static char peek(const struct map_parser *p)
{
	return p->pos < p->end ? *p->pos : '\0';
}

/* Step over @c if it is the next character. */
static bool accept(struct map_parser *p, char c)
{
	if (peek(p) != c)
		return false;
	p->pos++;
	return true;
}

/* Printable ASCII other than the space; bytes above 0x7f are allowed. */
static bool is_graphic(char c)
{
	return (unsigned char)c > ' ' && (unsigned char)c != 0x7f;
}

/*
 * A device pattern takes any device name (dev_name() has no rules of its
 * own); region and type names follow name.h, or they could never match.
 */
static bool is_name_char(char c, bool strict)
{
	if (strict)
		return isgraph(c) && !strchr(CMAFW_NAME_RESERVED, c);
	return is_graphic(c) && !strchr(",;=/*?", c);
}

/*
 * Skip the longest name at the cursor and return its length.  Patterns may
 * also hold '?' and, as their last character, '*'.
 */
static size_t skip_name(struct map_parser *p, bool is_pattern, bool strict)
{
	const char *start = p->pos;

	while (is_name_char(peek(p), strict) ||
	       (is_pattern && peek(p) == '?'))
		p->pos++;
	if (is_pattern && peek(p) == '*')
		p->pos++;
	return p->pos - start;
}

/* Report what the character at the cursor should have been. */
static int parse_error(const struct map_parser *p, const char *expected)
{
	ptrdiff_t column = p->pos - p->text + 1;
	char c = peek(p);

	if (!c)
		pr_err("map: column %td: expected %s, found the end\n",
		       column, expected);
	else if (is_graphic(c) && (unsigned char)c < 0x80)
		pr_err("map: column %td: expected %s, found '%c'\n",
		       column, expected, c);
	else
		pr_err("map: column %td: expected %s, found byte 0x%02x\n",
		       column, expected, (unsigned char)c);
	return -EINVAL;
}

/* pattern ::= dev-pattern [ '/' TYPE-NAME ] | '/' TYPE-NAME */
static int parse_pattern(struct map_parser *p)
{
	const char *dev = p->pos;
	size_t dev_len = skip_name(p, true, false);
	const char *type = NULL;
	size_t type_len = 0;

	if (peek(p) == '/') {
		p->pos++;
		type = p->pos;
		type_len = skip_name(p, true, true);
		if (!type_len)
			return parse_error(p, "a type name after '/'");
		if (peek(p) != ',' && peek(p) != '=')
			return parse_error(p, p->pos[-1] == '*' ?
					   "',' or '=' after '*'" :
					   "',' or '=' after the type name");
	} else if (!dev_len) {
		return parse_error(p, "a device pattern or '/'");
	} else if (peek(p) != ',' && peek(p) != '=') {
		return parse_error(p, p->pos[-1] == '*' ?
				   "'/', ',' or '=' after '*'" :
				   "'/', ',' or '=' after the device pattern");
	}

	if (p->map) {
		struct cmafw_pattern *pat = &p->map->patterns[p->nr_patterns];

		pat->dev = dev;
		pat->dev_len = dev_len;
		pat->type = type;
		pat->type_len = type_len;
	}
	p->nr_patterns++;
	return 0;
}

/* A name cmafw_name_valid() takes: no other could ever be registered. */
static int parse_region_name(struct map_parser *p)
{
	const char *name = p->pos;
	size_t len = skip_name(p, false, true);

	if (!len)
		return parse_error(p, p->pos[-1] == '=' ?
				   "a region name after '='" :
				   "a region name after ','");
	if (len > CMAFW_NAME_MAX) {
		p->pos = name + CMAFW_NAME_MAX;
		return parse_error(p, "the end of the region name (at most "
				   __stringify(CMAFW_NAME_MAX) " bytes)");
	}
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))) {
		p->pos = name;
		return parse_error(p, "a region name other than \".\" or \"..\"");
	}
	return 0;
}

/* rule ::= patterns '=' regions */
static int parse_rule(struct map_parser *p)
{
	size_t first = p->nr_patterns;
	const char *regions;
	int err;

	do {
		err = parse_pattern(p);
		if (err)
			return err;
	} while (accept(p, ','));
	p->pos++;	/* the '=' that parse_pattern() stopped at */

	regions = p->pos;
	do {
		err = parse_region_name(p);
		if (err)
			return err;
	} while (accept(p, ','));

	if (peek(p) && peek(p) != ';')
		return parse_error(p, "',' or ';' after the region name");

	if (p->map) {
		while (first < p->nr_patterns)
			p->map->patterns[first++].regions = regions;
	}
	return 0;
}

/* map-attr ::= [ rules [ ';' ] ] */
static int parse_map(struct map_parser *p)
{
	int err;

	while (p->pos < p->end) {
		err = parse_rule(p);
		if (err)
			return err;
		accept(p, ';');
	}
	return 0;
}

/**
 * cmafw_map_parse() - check a map text and compile it.
 * @text:	the map, NUL terminated; one trailing newline is ignored.
 *
 * The text follows the grammar in Documentation/ABI/testing/configfs-cmafw.
 * It is checked in full before anything is allocated: any error rejects
 * the whole map and prints one line naming the 1-based column and what
 * was expected there.  The empty text (or a lone newline) is a valid map
 * that matches nothing.  A text longer than 4094 bytes, not counting the
 * trailing newline, is rejected the same way, with -EINVAL.
 *
 * Context: process context; may sleep.
 * Return: the map, to be freed with cmafw_map_free(); ERR_PTR(-EINVAL) for
 * an invalid or too long text, ERR_PTR(-ENOMEM) when out of memory.
 */
struct cmafw_map *cmafw_map_parse(const char *text)
{
	size_t len = strnlen(text, CMAFW_MAP_MAX_LEN + 2);
	struct map_parser p = { .text = text, .pos = text };
	struct cmafw_map *map;
	int err;

	if (len && text[len - 1] == '\n')
		len--;
	if (len > CMAFW_MAP_MAX_LEN) {
		pr_err("map: column %d: expected the end of the map (at most %d bytes)\n",
		       CMAFW_MAP_MAX_LEN + 1, CMAFW_MAP_MAX_LEN);
		return ERR_PTR(-EINVAL);
	}

	p.end = text + len;
	err = parse_map(&p);
	if (err)
		return ERR_PTR(err);

	map = kzalloc(struct_size(map, patterns, p.nr_patterns), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->nr_patterns = p.nr_patterns;
	map->text = kmemdup_nul(text, len, GFP_KERNEL);
	if (!map->text) {
		kfree(map);
		return ERR_PTR(-ENOMEM);
	}

	/* Parse the copy again, now recording; it cannot fail this time. */
	p = (struct map_parser) {
		.text = map->text,
		.pos = map->text,
		.end = map->text + len,
		.map = map,
	};
	parse_map(&p);
	return map;
}

/**
 * cmafw_map_free() - free a map.
 * @map:	a map from cmafw_map_parse(), or NULL.
 */
void cmafw_map_free(struct cmafw_map *map)
{
	if (!map)
		return;
	kfree(map->text);
	kfree(map);
}

/**
 * cmafw_map_text() - the text a map was parsed from.
 * @map:	the map, or NULL.
 *
 * Return: the text without its trailing newline, valid as long as @map;
 * "" for a NULL @map.
 */
const char *cmafw_map_text(const struct cmafw_map *map)
{
	return map ? map->text : "";
}

/*
 * Match a pattern of @len characters against @str: '?' matches exactly one
 * character and a final '*' matches the rest, even if empty.
 */
static bool pattern_match(const char *pattern, size_t len, const char *str)
{
	size_t i;

	for (i = 0; i < len; i++, str++) {
		if (pattern[i] == '*')
			return true;
		if (!*str || (pattern[i] != '?' && pattern[i] != *str))
			return false;
	}
	return !*str;
}

/**
 * cmafw_map_lookup() - find the regions the map gives a device.
 * @map:	the map, or NULL for no map.
 * @dev:	the device name.
 * @type:	the kind of memory; NULL means "common".
 *
 * Patterns are tried in text order and the first that matches decides.  A
 * pattern without a type matches any type.  A pattern with an empty device
 * part ("/type") takes the device as matched when the last pattern with a
 * device part, in any earlier rule too, matched it; before any such
 * pattern nothing has matched.
 *
 * Context: any; does not allocate.  Takes time linear in the map's length.
 * Return: the matching rule's region list, comma separated and ending at
 * ';' or NUL (walk it with cmafw_name_next()), valid as long as @map;
 * NULL when no pattern matches, @map is NULL or @dev is NULL.
 */
const char *cmafw_map_lookup(const struct cmafw_map *map, const char *dev,
			     const char *type)
{
	bool dev_matched = false;
	size_t i;

	if (!map || !dev)
		return NULL;
	if (!type)
		type = "common";

	for (i = 0; i < map->nr_patterns; i++) {
		const struct cmafw_pattern *pat = &map->patterns[i];

		if (pat->dev_len)
			dev_matched = pattern_match(pat->dev, pat->dev_len, dev);
		if (dev_matched &&
		    (!pat->type || pattern_match(pat->type, pat->type_len, type)))
			return pat->regions;
	}
	return NULL;
}

/**
 * cmafw_name_next() - step through a comma-separated list of names.
 * @list:	where to continue: the list itself, then the previous name
 *		plus its length.  May be NULL.
 * @len:	set to the length of the name returned.
 *
 * The list ends at a NUL or a ';'.  Empty names (",,") are skipped.
 * Typical use::
 *
 *	for (name = cmafw_name_next(list, &len); name;
 *	     name = cmafw_name_next(name + len, &len))
 *		try_region(name, len);
 *
 * Return: the next name, not NUL terminated, or NULL at the end of the list
 * (then @len is left alone).
 */
const char *cmafw_name_next(const char *list, size_t *len)
{
	const char *name = list ? cmafw_name_skip(list) : NULL;

	if (name)
		*len = cmafw_name_len(name);
	return name;
}

/**
 * cmafw_name_skip() - where a list's next name starts.
 * @p:		a place in a comma-separated list of names: the list itself,
 *		or the end of a name in it.
 *
 * Past the commas at @p.  For a walk that does not need each name's
 * length before it looks at the name (cmafw_region_named())::
 *
 *	for (name = cmafw_name_skip(list); name;
 *	     name = cmafw_name_skip(name + cmafw_name_len(name)))
 *
 * Return: the name, not NUL terminated, or NULL at the end of the list (a
 * NUL or a ';').
 */
const char *cmafw_name_skip(const char *p)
{
	while (*p == ',')
		p++;
	/* Past the commas, only a ';' or a NUL ends a name here. */
	return cmafw_name_end(*p) ? NULL : p;
}

/**
 * cmafw_name_len() - the length of a name in a list.
 * @name:	a name that cmafw_name_skip() returned.
 *
 * Return: the characters up to the next ',', ';' or NUL.
 */
size_t cmafw_name_len(const char *name)
{
	size_t n;

	/* Open-coded: strcspn() scans the set for every character. */
	for (n = 1; !cmafw_name_end(name[n]); n++)
		;
	return n;
}
