// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the map grammar, kernel/map.c (included whole, so
 * the parsed patterns can be compared; the very same file).
 *
 * Every input, cut at its first NUL, is parsed, and:
 *  - the map is accepted iff a reference checker written from the grammar
 *    (splitting on ';', '=', ',' and '/' instead of descending) accepts it,
 *    with the same patterns and region lists in the same order;
 *  - the text a map gives back parses again to the same patterns, with and
 *    without a trailing newline (parse -> text -> parse round trip);
 *  - lookups of names made from the patterns and from the input agree with
 *    a reference matcher, and walking their region lists never crashes.
 * Any disagreement abort()s, which libFuzzer reports as a crash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/array_size.h>
#include <linux/compiler.h>
#include <linux/printk.h>
#include <linux/types.h>

/*
 * The parser explains every rejection with pr_err(): format it, to check
 * its arguments, but keep it off stderr.
 */
static __printf(1, 2) void fuzz_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

#undef pr_fmt
#undef pr_err
#define pr_err(fmt, ...) fuzz_log(pr_fmt(fmt), ##__VA_ARGS__)

#include "../../kernel/map.c"

#define MAX_LEN		CMAFW_MAP_MAX_LEN
#define MAX_PATTERNS	(MAX_LEN + 1)

struct ref_pattern {
	const char *dev;
	size_t dev_len;
	const char *type;	/* NULL: no '/' */
	size_t type_len;
	const char *regions;
	size_t regions_len;
};

static struct ref_pattern ref[MAX_PATTERNS];

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_map: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* The characters of a name: printable, not blank, none of , ; = / * ? */
static bool ref_name_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && c != ',' && c != ';' && c != '=' &&
	       c != '/' && c != '*' && c != '?';
}

/*
 * The characters of a region or type name: Latin-1 graphic (0x21-0x7e,
 * 0xa1-0xff), none of , ; = / * ? @ #
 */
static bool ref_strict_char(unsigned char c)
{
	return ((c > 0x20 && c < 0x7f) || c > 0xa0) && ref_name_char(c) &&
	       c != '@' && c != '#';
}

/*
 * Name characters (strict ones for a type) and '?', with at most one '*',
 * at the very end.
 */
static bool ref_pattern_ok(const char *s, size_t len, bool strict)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '*' && i == len - 1)
			continue;
		if (s[i] == '?')
			continue;
		if (!(strict ? ref_strict_char(s[i]) : ref_name_char(s[i])))
			return false;
	}
	return true;
}

/* A region name: 1 to 32 strict characters, and not "." or "..". */
static bool ref_region_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > 32)
		return false;
	if (!strncmp(s, "..", len) && len <= 2)
		return false;
	for (i = 0; i < len; i++)
		if (!ref_strict_char(s[i]))
			return false;
	return true;
}

static const char *find(const char *s, const char *end, char c)
{
	while (s < end && *s != c)
		s++;
	return s;
}

/* One rule, [s, end): patterns '=' regions.  Appends to ref[]. */
static bool ref_rule(const char *s, const char *end, size_t *n)
{
	const char *eq = find(s, end, '='), *p, *q;

	if (eq == end)
		return false;
	/* Region names ('=' excluded: not a name character). */
	for (p = eq + 1; ; p = q + 1) {
		q = find(p, end, ',');
		if (!ref_region_ok(p, q - p))
			return false;
		if (q == end)
			break;
	}
	for (p = s; ; p = q + 1) {
		const char *slash;
		struct ref_pattern *r = &ref[*n];

		q = find(p, eq, ',');
		slash = find(p, q, '/');
		r->dev = p;
		r->dev_len = slash - p;
		r->type = NULL;
		r->type_len = 0;
		if (slash < q) {
			r->type = slash + 1;
			r->type_len = q - slash - 1;
			if (!r->type_len ||
			    find(r->type, q, '/') != q ||
			    !ref_pattern_ok(r->type, r->type_len, true))
				return false;
		} else if (!r->dev_len) {
			return false;
		}
		if (!ref_pattern_ok(r->dev, r->dev_len, false))
			return false;
		r->regions = eq + 1;
		r->regions_len = end - eq - 1;
		(*n)++;
		if (q == eq)
			break;
	}
	return true;
}

/* The whole map: accepted, with its patterns in ref[0..*n). */
static bool ref_parse(const char *text, size_t *n)
{
	size_t len = strlen(text);
	const char *p, *q, *end;

	*n = 0;
	if (len && text[len - 1] == '\n')
		len--;
	if (len > MAX_LEN)
		return false;
	if (!len)
		return true;
	if (text[len - 1] == ';' && --len == 0)
		return false;
	end = text + len;
	for (p = text; ; p = q + 1) {
		q = find(p, end, ';');
		if (q == p || !ref_rule(p, q, n))
			return false;
		if (q == end)
			break;
	}
	return true;
}

/* '?' takes one character, a final '*' the rest, anything else itself. */
static bool ref_match(const char *pat, size_t len, const char *s)
{
	size_t slen = strlen(s), fixed = len, i;

	if (len && pat[len - 1] == '*') {
		fixed = len - 1;
		if (slen < fixed)
			return false;
	} else if (slen != len) {
		return false;
	}
	for (i = 0; i < fixed; i++)
		if (pat[i] != '?' && pat[i] != s[i])
			return false;
	return true;
}

static const struct ref_pattern *ref_lookup(size_t n, const char *dev,
					    const char *type)
{
	bool matched = false;
	size_t i;

	if (!type)
		type = "common";
	for (i = 0; i < n; i++) {
		if (ref[i].dev_len)
			matched = ref_match(ref[i].dev, ref[i].dev_len, dev);
		if (matched && (!ref[i].type ||
				ref_match(ref[i].type, ref[i].type_len, type)))
			return &ref[i];
	}
	return NULL;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* @map holds exactly the patterns of ref[0..n). */
static void check_patterns(const struct cmafw_map *map, size_t n)
{
	size_t i;

	CHECK(map->nr_patterns == n);
	for (i = 0; i < n; i++) {
		const struct cmafw_pattern *pat = &map->patterns[i];

		CHECK(same(pat->dev, pat->dev_len, ref[i].dev,
			   ref[i].dev_len));
		CHECK(!pat->type == !ref[i].type);
		if (pat->type)
			CHECK(same(pat->type, pat->type_len, ref[i].type,
				   ref[i].type_len));
		CHECK(same(pat->regions, strcspn(pat->regions, ";"),
			   ref[i].regions, ref[i].regions_len));
	}
}

/* A name the pattern matches, with '?' -> @fill and '*' -> @tail. */
static void instantiate(char *buf, size_t size, const char *pat, size_t len,
			char fill, const char *tail)
{
	size_t i, o = 0;

	for (i = 0; i < len && pat[i] != '*' && o + 1 < size; i++)
		buf[o++] = pat[i] == '?' ? fill : pat[i];
	buf[o] = '\0';
	if (i < len && pat[i] == '*')
		snprintf(buf + o, size - o, "%s", tail);
}

static void check_lookup(const struct cmafw_map *map, size_t n,
			 const char *dev, const char *type)
{
	const struct ref_pattern *want = ref_lookup(n, dev, type);
	const char *got = cmafw_map_lookup(map, dev, type);
	const char *name;
	size_t len, total = 0;

	CHECK(!got == !want);
	if (!got)
		return;
	CHECK(same(got, strcspn(got, ";"), want->regions, want->regions_len));
	/* Walk the list as the framework does. */
	for (name = cmafw_name_next(got, &len); name;
	     name = cmafw_name_next(name + len, &len)) {
		CHECK(len && name + len <= got + want->regions_len);
		total++;
	}
	CHECK(total >= 1);
}

static void check_lookups(const struct cmafw_map *map, size_t n,
			  const char *text)
{
	static const char * const tails[] = { "", "x", "0123456789" };
	static const char * const types[] = { NULL, "common", "a", "" };
	char dev[64], type[64];
	size_t i, t;

	CHECK(!cmafw_map_lookup(map, NULL, NULL));
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		check_lookup(map, n, "", types[t]);
		check_lookup(map, n, "video", types[t]);
		/* The input itself, as a device name. */
		check_lookup(map, n, text, types[t]);
	}
	for (i = 0; i < n && i < 32; i++) {
		for (t = 0; t < ARRAY_SIZE(tails); t++) {
			instantiate(dev, sizeof(dev), ref[i].dev,
				    ref[i].dev_len, 'q', tails[t]);
			if (ref[i].type) {
				instantiate(type, sizeof(type), ref[i].type,
					    ref[i].type_len, '?', tails[t]);
				check_lookup(map, n, dev, type);
			}
			check_lookup(map, n, dev, NULL);
			check_lookup(map, n, dev, "b");
		}
	}
}

/* LLVMFuzzerTestOneInput(), named by the Makefile. */
int fuzz_one_input(const u8 *data, size_t size);

int fuzz_one_input(const u8 *data, size_t size)
{
	char *text = malloc(size + 1), *again;
	struct cmafw_map *map, *map2;
	size_t n = 0, len;
	bool ok;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	ok = ref_parse(text, &n);
	map = cmafw_map_parse(text);
	CHECK(!IS_ERR(map) || PTR_ERR(map) == -EINVAL);
	CHECK(ok == !IS_ERR(map));
	if (IS_ERR(map)) {
		free(text);
		return 0;
	}

	/* The map keeps the text, without a trailing newline. */
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		len--;
	CHECK(same(cmafw_map_text(map), strlen(cmafw_map_text(map)), text,
		   len));
	check_patterns(map, n);
	check_lookups(map, n, text);

	/* parse -> text -> parse, with and without a newline. */
	map2 = cmafw_map_parse(cmafw_map_text(map));
	CHECK(!IS_ERR(map2));
	CHECK(!strcmp(cmafw_map_text(map2), cmafw_map_text(map)));
	cmafw_map_free(map2);
	again = malloc(len + 2);
	CHECK(again);
	snprintf(again, len + 2, "%s\n", cmafw_map_text(map));
	map2 = cmafw_map_parse(again);
	CHECK(!IS_ERR(map2));
	CHECK(ref_parse(cmafw_map_text(map2), &n));
	check_patterns(map2, n);
	check_patterns(map, n);
	cmafw_map_free(map2);
	free(again);

	cmafw_map_free(map);
	cmafw_map_free(NULL);
	free(text);
	return 0;
}
