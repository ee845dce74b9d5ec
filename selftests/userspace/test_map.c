// SPDX-License-Identifier: GPL-2.0
/* kernel/map.c: the map grammar, matching and the name iterator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/slab.h>

#include "map.h"
#include "test.h"

/* Room for one error line and then some, to see a second line. */
#define MSG_SIZE 512

struct parse_call {
	const char *text;
	struct cmafw_map *map;
};

static void call_parse(void *arg)
{
	struct parse_call *call = arg;

	call->map = cmafw_map_parse(call->text);
}

/* Parse @text with stderr captured into @msg. */
static struct cmafw_map *parse_quietly(const char *text, char *msg)
{
	struct parse_call call = { .text = text };

	capture_stderr(call_parse, &call, msg, MSG_SIZE);
	return call.map;
}

/* Print a string for a TAP line: control characters escaped. */
static const char *show(const char *s)
{
	static char buf[4][96];
	static int next;
	char *out = buf[next++ % 4];
	size_t n = 0;

	if (!s)
		return "NULL";
	for (; *s && n < sizeof(buf[0]) - 8; s++) {
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7f)
			n += sprintf(out + n, "\\x%02x", (unsigned char)*s);
		else
			out[n++] = *s;
	}
	if (*s)
		n += sprintf(out + n, "...");
	out[n] = '\0';
	return out;
}

/* A region list as lookup returns it: up to ';' or NUL. */
static bool regions_equal(const char *got, const char *want)
{
	size_t len;

	if (!got || !want)
		return got == want;
	len = strcspn(got, ";");
	return len == strlen(want) && !strncmp(got, want, len);
}

struct lookup_case {
	const char *dev;
	const char *type;
	const char *want;	/* NULL: no match */
};

static void check_lookups(const char *text, const struct lookup_case *cases,
			  size_t nr_cases)
{
	char msg[MSG_SIZE];
	struct cmafw_map *map = parse_quietly(text, msg);
	const char *map_text;
	size_t i;

	test_begin();
	EXPECTF(!IS_ERR(map), "parse: %ld", PTR_ERR(map));
	EXPECTF(!msg[0], "no message, got \"%s\"", show(msg));
	test_end("map \"%s\" parses", text);
	if (IS_ERR(map))
		return;
	map_text = cmafw_map_text(map);

	for (i = 0; i < nr_cases; i++) {
		const struct lookup_case *c = &cases[i];
		long allocs = shim_nr_allocs;
		const char *got = cmafw_map_lookup(map, c->dev, c->type);
		int len = got ? (int)strcspn(got, ";") : 4;

		test_begin();
		EXPECTF(regions_equal(got, c->want), "got \"%.*s\"", len,
			got ? got : "NULL");
		EXPECTF(!got || (got >= map_text &&
				 got < map_text + strlen(map_text)),
			"result points into the map text");
		EXPECT(shim_nr_allocs == allocs);
		test_end("map \"%s\": (%s, %s) -> %s", text, show(c->dev),
			 show(c->type), show(c->want));
	}
	cmafw_map_free(map);
}

static void test_rfc_examples(void)
{
	static const struct lookup_case big[] = {
		{ "foo", "quaz", "r1" },
		{ "foo", "common", "r2" },
		{ "foo", NULL, "r2" },
		{ "foo", "x", "r2" },
		{ "bar", "anything", "r1,r2" },
		{ "bar", NULL, "r1,r2" },
		{ "baz1", "a", "r3" },
		{ "bazz", "b", "r3" },
		{ "baz1", "c", NULL },
		{ "baz", "a", NULL },
		{ "baz12", "a", NULL },
		{ "qux", "x", NULL },
		{ "fo", "quaz", NULL },
		{ "fooo", "quaz", NULL },
	};
	static const struct lookup_case slash[] = {
		{ "foo", "x", "r2" },
		{ "foo", "quaz", "r1" },
		{ "bar", "x", NULL },
		{ "bar", NULL, NULL },
	};
	static const struct lookup_case devices[] = {
		{ "video", NULL, "region" },
		{ "camera", "a", "region" },
		{ "other", NULL, "common" },
		{ "", NULL, "common" },
	};
	static const struct lookup_case order[] = {
		{ "foo", "a", "a,b" },
		{ "foo", "b", "b,a" },
		{ "foo", "c", "a,b" },
		{ "x", "y", "a,b" },
	};

	check_lookups("foo/quaz=r1;foo/*=r2;/*=r2;bar=r1,r2;baz?/a,baz?/b=r3",
		      big, ARRAY_SIZE(big));
	check_lookups("foo/quaz=r1;/*=r2", slash, ARRAY_SIZE(slash));
	check_lookups("video,camera=region;*=common", devices,
		      ARRAY_SIZE(devices));
	check_lookups("foo/a=a,b;foo/b=b,a;*=a,b", order, ARRAY_SIZE(order));
}

static void test_matching(void)
{
	static const struct lookup_case wildcards[] = {
		{ "foo", NULL, "a" },
		{ "foobar", NULL, "a" },
		{ "fo", NULL, "c" },
		{ "x", NULL, "b" },
		{ "xy", NULL, "c" },
		{ "xyz", NULL, NULL },
		{ "", NULL, NULL },
		{ "q", NULL, "b" },
		{ "q12", NULL, "d" },
	};
	static const struct lookup_case types[] = {
		{ "dev", NULL, "c" },
		{ "dev", "common", "c" },
		{ "dev", "ab", "t" },
		{ "dev", "abc", NULL },
		{ "dev", "zzz", "z" },
		{ "dev", "z", "z" },
		{ "dev", "", NULL },
	};
	/* "/u" follows the last device pattern, in its own rule... */
	static const struct lookup_case within_rule[] = {
		{ "a", "u", "r0" },
		{ "b", "u", "r2" },
		{ "c", "u", NULL },
	};
	/* ... and across rules. */
	static const struct lookup_case carried[] = {
		{ "a", "t", "r1" },
		{ "b", "t", NULL },
		{ "b", "u", "r2" },
		{ "c", "u", NULL },
		{ "c", "v", "r3" },
		{ "d", "v", NULL },
	};
	static const struct lookup_case leading[] = {
		{ "a", "x", "r2" },
		{ "b", "x", NULL },
	};
	static const struct lookup_case empty[] = {
		{ "a", NULL, NULL },
		{ "", "", NULL },
	};

	check_lookups("foo*=a;?=b;?\?=c;q*=d", wildcards, ARRAY_SIZE(wildcards));
	check_lookups("dev/common=c;dev/a?=t;dev/z*=z", types,
		      ARRAY_SIZE(types));
	check_lookups("a=r0;b,/u=r2", within_rule, ARRAY_SIZE(within_rule));
	check_lookups("a/q=r0;/t=r1;b/q=r0;/u=r2;c/q=r0;/v=r3", carried,
		      ARRAY_SIZE(carried));
	check_lookups("/x=r1;a=r2", leading, ARRAY_SIZE(leading));
	check_lookups("", empty, ARRAY_SIZE(empty));
}

static void test_lookup_null(void)
{
	char msg[MSG_SIZE];
	struct cmafw_map *map = parse_quietly("*=r", msg);

	test_begin();
	EXPECT(!cmafw_map_lookup(NULL, "dev", NULL));
	EXPECT(!cmafw_map_lookup(NULL, "dev", "a"));
	EXPECT(!IS_ERR(map) && !cmafw_map_lookup(map, NULL, NULL));
	EXPECT(!strcmp(cmafw_map_text(NULL), ""));
	cmafw_map_free(map);
	cmafw_map_free(NULL);
	test_end("no map or no device: no match; cmafw_map_free(NULL) is fine");
}

struct good_case {
	const char *text;
	const char *normalised;
};

static void test_valid_forms(void)
{
	static const struct good_case cases[] = {
		{ "", "" },
		{ "\n", "" },
		{ "a=r", "a=r" },
		{ "a=r\n", "a=r" },
		{ "a=r;", "a=r;" },
		{ "a=r;\n", "a=r;" },
		{ "a,b/c,/d=r1,r2;e=r3", "a,b/c,/d=r1,r2;e=r3" },
		{ "*=r", "*=r" },
		{ "/*=r", "/*=r" },
		{ "?*/?*=r", "?*/?*=r" },
		{ "a*/b*=r", "a*/b*=r" },
		{ "s3c-fimc.0:x+y=r.1-_:", "s3c-fimc.0:x+y=r.1-_:" },
		{ "d\xc3\xa9v=r\xc3\xa9g", "d\xc3\xa9v=r\xc3\xa9g" },
		/* a device name may hold what a region name may not */
		{ "soc@0#1\x85=r", "soc@0#1\x85=r" },
		/* the longest region name; "..." is a name */
		{ "a=r2345678901234567890123456789012,...",
		  "a=r2345678901234567890123456789012,..." },
	};
	char msg[MSG_SIZE];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cmafw_map *map = parse_quietly(cases[i].text, msg);

		test_begin();
		if (EXPECTF(!IS_ERR(map), "parse: %ld", PTR_ERR(map)))
			EXPECTF(!strcmp(cmafw_map_text(map),
					cases[i].normalised),
				"text reads back as \"%s\"",
				show(cmafw_map_text(map)));
		EXPECTF(!msg[0], "no message, got \"%s\"", show(msg));
		test_end("valid: \"%s\" reads back as \"%s\"",
			 show(cases[i].text), show(cases[i].normalised));
		if (!IS_ERR(map))
			cmafw_map_free(map);
	}
}

struct bad_case {
	const char *text;
	int column;
	const char *expected;	/* the words after "expected " */
};

static void check_rejected(const char *text, int column, const char *expected,
			   const char *name)
{
	char msg[MSG_SIZE], prefix[64];
	long live = shim_live_allocs;
	struct cmafw_map *map = parse_quietly(text, msg);
	char *newline = strchr(msg, '\n');

	snprintf(prefix, sizeof(prefix), "cmafw: map: column %d: expected ",
		 column);
	test_begin();
	EXPECTF(IS_ERR(map) && PTR_ERR(map) == -EINVAL, "errno %ld",
		IS_ERR(map) ? PTR_ERR(map) : 0);
	EXPECTF(newline && !newline[1], "exactly one line: \"%s\"", show(msg));
	EXPECTF(!strncmp(msg, prefix, strlen(prefix)),
		"prefix \"%s\" in \"%s\"", prefix, show(msg));
	EXPECTF(!strncmp(msg + strlen(prefix), expected, strlen(expected)),
		"\"%s\" in \"%s\"", expected, show(msg));
	EXPECT(shim_live_allocs == live);
	test_end("invalid: %s: column %d: expected %s", name, column, expected);
	if (!IS_ERR(map))
		cmafw_map_free(map);
}

static void test_invalid_forms(void)
{
	static const struct bad_case cases[] = {
		/* empty patterns */
		{ "=r", 1, "a device pattern or '/', found '='" },
		{ ",a=r", 1, "a device pattern or '/', found ','" },
		{ "a,=r", 3, "a device pattern or '/', found '='" },
		{ ";", 1, "a device pattern or '/', found ';'" },
		{ "a=r;;", 5, "a device pattern or '/', found ';'" },
		{ "a=r;;b=s", 5, "a device pattern or '/', found ';'" },
		{ ";a=r", 1, "a device pattern or '/', found ';'" },
		/* missing '=' */
		{ "a", 2, "'/', ',' or '=' after the device pattern, found the end" },
		{ "a;b=r", 2, "'/', ',' or '=' after the device pattern, found ';'" },
		{ "a=b;c", 6, "'/', ',' or '=' after the device pattern, found the end" },
		{ "a,b", 4, "'/', ',' or '=' after the device pattern, found the end" },
		{ "a/b", 4, "',' or '=' after the type name, found the end" },
		{ "a/b;c=r", 4, "',' or '=' after the type name, found ';'" },
		/* empty region lists and names */
		{ "a=", 3, "a region name after '=', found the end" },
		{ "a=;b=r", 3, "a region name after '=', found ';'" },
		{ "a=r,,s", 5, "a region name after ',', found ','" },
		{ "a=r,", 5, "a region name after ',', found the end" },
		{ "a=r,;", 5, "a region name after ',', found ';'" },
		{ "a=,r", 3, "a region name after '=', found ','" },
		/* '*' not last */
		{ "a*b=r", 3, "'/', ',' or '=' after '*', found 'b'" },
		{ "*a=r", 2, "'/', ',' or '=' after '*', found 'a'" },
		{ "a**=r", 3, "'/', ',' or '=' after '*', found '*'" },
		{ "a*?=r", 3, "'/', ',' or '=' after '*', found '?'" },
		{ "a/b*c=r", 5, "',' or '=' after '*', found 'c'" },
		{ "a/*b=r", 4, "',' or '=' after '*', found 'b'" },
		/* more than one '/', empty type */
		{ "a/b/c=r", 4, "',' or '=' after the type name, found '/'" },
		{ "a/*/c=r", 4, "',' or '=' after '*', found '/'" },
		{ "a/=r", 3, "a type name after '/', found '='" },
		{ "/=r", 2, "a type name after '/', found '='" },
		{ "a//b=r", 3, "a type name after '/', found '/'" },
		{ "a/,b=r", 3, "a type name after '/', found ','" },
		{ "a/", 3, "a type name after '/', found the end" },
		/* a second '=' */
		{ "a=r=s", 4, "',' or ';' after the region name, found '='" },
		{ "a=b=", 4, "',' or ';' after the region name, found '='" },
		/* reserved characters in region names */
		{ "a=r*", 4, "',' or ';' after the region name, found '*'" },
		{ "a=r?", 4, "',' or ';' after the region name, found '?'" },
		{ "a=r/s", 4, "',' or ';' after the region name, found '/'" },
		{ "a=*", 3, "a region name after '=', found '*'" },
		{ "a=?", 3, "a region name after '=', found '?'" },
		{ "a=r,/s", 5, "a region name after ',', found '/'" },
		/* names that cmafw_name_valid() refuses: no such region */
		{ "a=pool@30000000", 7, "',' or ';' after the region name, found '@'" },
		{ "a=r#1", 4, "',' or ';' after the region name, found '#'" },
		{ "a=r\x85", 4, "',' or ';' after the region name, found byte 0x85" },
		{ "a=\xa0r", 3, "a region name after '=', found byte 0xa0" },
		{ "a=r2345678901234567890123456789012x", 35,
		  "the end of the region name (at most 32 bytes), found 'x'" },
		{ "a=r,r23456789012345678901234567890123", 37,
		  "the end of the region name (at most 32 bytes), found '3'" },
		{ "a=.", 3, "a region name other than \".\" or \"..\", found '.'" },
		{ "a=r,..;b=s", 5, "a region name other than \".\" or \"..\", found '.'" },
		{ "a/b@c=r", 4, "',' or '=' after the type name, found '@'" },
		{ "/b#=r", 3, "',' or '=' after the type name, found '#'" },
		/* whitespace and control characters */
		{ " a=r", 1, "a device pattern or '/', found byte 0x20" },
		{ "a =r", 2, "'/', ',' or '=' after the device pattern, found byte 0x20" },
		{ "a= r", 3, "a region name after '=', found byte 0x20" },
		{ "a=r ", 4, "',' or ';' after the region name, found byte 0x20" },
		{ "a=r; b=s", 5, "a device pattern or '/', found byte 0x20" },
		{ "a/b c=r", 4, "',' or '=' after the type name, found byte 0x20" },
		{ "a=r\t", 4, "',' or ';' after the region name, found byte 0x09" },
		{ "a\x01=r", 2, "'/', ',' or '=' after the device pattern, found byte 0x01" },
		{ "a\x7f=r", 2, "'/', ',' or '=' after the device pattern, found byte 0x7f" },
		{ "a=r\x1b", 4, "',' or ';' after the region name, found byte 0x1b" },
		{ "a*\xc3\xa9=r", 3, "'/', ',' or '=' after '*', found byte 0xc3" },
		/* newlines: only one, only at the end */
		{ "a=r\n\n", 4, "',' or ';' after the region name, found byte 0x0a" },
		{ "a=r\nb=s", 4, "',' or ';' after the region name, found byte 0x0a" },
		{ "\n\n", 1, "a device pattern or '/', found byte 0x0a" },
		{ "a=r;\r\n", 5, "a device pattern or '/', found byte 0x0d" },
		{ "\na=r", 1, "a device pattern or '/', found byte 0x0a" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_rejected(cases[i].text, cases[i].column,
			       cases[i].expected, show(cases[i].text));
}

/* A valid map of exactly @len bytes: "a=r;" repeated, then "b=xxx...". */
static char *map_of_length(size_t len, const char *tail)
{
	char *text = malloc(len + strlen(tail) + 1);
	size_t i;

	for (i = 0; i + 8 <= len; i += 4)
		memcpy(text + i, "a=r;", 4);
	memcpy(text + i, "b=", 2);
	memset(text + i + 2, 'x', len - i - 2);
	memcpy(text + len, tail, strlen(tail) + 1);
	return text;
}

static void test_length_limit(void)
{
	char msg[MSG_SIZE];
	struct cmafw_map *map;
	char *text;

	text = map_of_length(4094, "");
	map = parse_quietly(text, msg);
	test_begin();
	EXPECTF(!IS_ERR(map), "parse: %ld", PTR_ERR(map));
	EXPECT(!IS_ERR(map) && strlen(cmafw_map_text(map)) == 4094);
	EXPECT(!IS_ERR(map) && regions_equal(cmafw_map_lookup(map, "a", NULL),
					     "r"));
	test_end("limit: a 4094-byte map parses");
	if (!IS_ERR(map))
		cmafw_map_free(map);
	free(text);

	text = map_of_length(4094, "\n");
	map = parse_quietly(text, msg);
	test_begin();
	EXPECTF(!IS_ERR(map), "parse: %ld", PTR_ERR(map));
	EXPECT(!IS_ERR(map) && strlen(cmafw_map_text(map)) == 4094);
	test_end("limit: a 4094-byte map and its newline parse");
	if (!IS_ERR(map))
		cmafw_map_free(map);
	free(text);

	text = map_of_length(4095, "");
	check_rejected(text, 4095, "the end of the map (at most 4094 bytes)",
		       "a 4095-byte map");
	free(text);

	text = map_of_length(4095, "\n");
	check_rejected(text, 4095, "the end of the map (at most 4094 bytes)",
		       "a 4095-byte map and its newline");
	free(text);

	text = map_of_length(100000, "");
	check_rejected(text, 4095, "the end of the map (at most 4094 bytes)",
		       "a 100000-byte map");
	free(text);
}

static void test_out_of_memory(void)
{
	const char *text = "a,b=r1,r2;c=r3";
	char msg[MSG_SIZE];
	long nth, live = shim_live_allocs;
	struct cmafw_map *map;

	for (nth = 1; nth <= 2; nth++) {
		shim_fail_in = nth;
		map = parse_quietly(text, msg);
		shim_fail_in = 0;
		test_begin();
		EXPECTF(IS_ERR(map) && PTR_ERR(map) == -ENOMEM, "got %ld",
			IS_ERR(map) ? PTR_ERR(map) : 0);
		EXPECT(shim_live_allocs == live);
		test_end("allocation %ld fails: -ENOMEM, nothing leaked", nth);
		if (!IS_ERR(map))
			cmafw_map_free(map);
	}

	/* An invalid map is rejected before anything is allocated. */
	shim_fail_in = 1;
	map = parse_quietly("a=", msg);
	test_begin();
	EXPECT(IS_ERR(map) && PTR_ERR(map) == -EINVAL);
	EXPECT(shim_fail_in == 1);
	test_end("an invalid map is -EINVAL even when memory is short");
	shim_fail_in = 0;
}

/* Join the names cmafw_name_next() yields with '|'. */
static void walk_names(const char *list, char *out, size_t size)
{
	const char *name;
	size_t len = 0, n = 0;

	out[0] = '\0';
	for (name = cmafw_name_next(list, &len); name;
	     name = cmafw_name_next(name + len, &len))
		n += snprintf(out + n, size - n, "%s%.*s", n ? "|" : "",
			      (int)len, name);
}

/* The same with cmafw_name_skip() and cmafw_name_len(), as api.c walks. */
static void skip_names(const char *list, char *out, size_t size)
{
	const char *name;
	size_t n = 0;

	out[0] = '\0';
	for (name = cmafw_name_skip(list); name;
	     name = cmafw_name_skip(name + cmafw_name_len(name)))
		n += snprintf(out + n, size - n, "%s%.*s", n ? "|" : "",
			      (int)cmafw_name_len(name), name);
}

static void test_name_next(void)
{
	static const struct {
		const char *list;
		const char *names;
	} cases[] = {
		{ "r1,r2", "r1|r2" },
		{ "r1", "r1" },
		{ "", "" },
		{ ";", "" },
		{ ",", "" },
		{ ",,a,,b,", "a|b" },
		{ "a,b;c,d", "a|b" },
		{ "a;", "a" },
		{ ";a", "" },
		{ ",;a", "" },
		{ "region-with-long-name,x", "region-with-long-name|x" },
	};
	char out[128];
	size_t i, len = 42;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		test_begin();
		walk_names(cases[i].list, out, sizeof(out));
		EXPECTF(!strcmp(out, cases[i].names), "got \"%s\"", out);
		test_end("cmafw_name_next(\"%s\") yields \"%s\"", cases[i].list,
			 cases[i].names);
		test_begin();
		skip_names(cases[i].list, out, sizeof(out));
		EXPECTF(!strcmp(out, cases[i].names), "got \"%s\"", out);
		test_end("cmafw_name_skip(\"%s\") and cmafw_name_len() yield \"%s\"",
			 cases[i].list, cases[i].names);
	}

	test_begin();
	EXPECT(!cmafw_name_next(NULL, &len));
	EXPECT(!cmafw_name_next("", &len) && len == 42);
	test_end("cmafw_name_next(NULL) is NULL; *len untouched at the end");
}

void test_map(void)
{
	test_rfc_examples();
	test_matching();
	test_lookup_null();
	test_valid_forms();
	test_invalid_forms();
	test_length_limit();
	test_out_of_memory();
	test_name_next();
}
