// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's map grammar and lookup (kernel/map.c, built over the
 * userspace shim in selftests/userspace/shim/) as an oracle for cmaadm's
 * reimplementation in awk.  Reads one hex-encoded map a line; prints
 * "ERR <kernel log line>" or "OK" and then, for every query
 * DEV[/TYPE] given on the command line, "<query> -> <regions>|NULL".
 * Used by map-diff.sh.  The kernel log line (pr_err() writes to stderr in
 * the shim) is caught in a temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/err.h>

#include "map.h"

static int unhex(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static struct cmafw_map *parse_catching(const char *text, char *msg,
					size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct cmafw_map *map;

	if (!tmp || saved < 0)
		exit(2);
	dup2(fileno(tmp), 2);
	map = cmafw_map_parse(text);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	if (!fgets(msg, size, tmp))
		strcpy(msg, "(no message)\n");
	fclose(tmp);
	return map;
}

int main(int argc, char **argv)
{
	static char line[2 * 8192 + 2], text[8192 + 1], msg[512];

	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strcspn(line, "\n"), i;
		struct cmafw_map *map;

		for (i = 0; i + 1 < n; i += 2)
			text[i / 2] = (char)(unhex(line[i]) << 4 | unhex(line[i + 1]));
		text[n / 2] = '\0';
		map = parse_catching(text, msg, sizeof(msg));
		if (IS_ERR(map)) {
			printf("ERR %s", msg);
			continue;
		}
		puts("OK");
		for (int a = 1; a < argc; a++) {
			char dev[64], *type;
			const char *r;

			snprintf(dev, sizeof(dev), "%s", argv[a]);
			type = strchr(dev, '/');
			if (type)
				*type++ = '\0';
			r = cmafw_map_lookup(map, dev, type);
			printf("%s -> %.*s\n", argv[a], r ? (int)strcspn(r, ";") : 4,
			       r ? r : "NULL");
		}
		cmafw_map_free(map);
	}
	return 0;
}
