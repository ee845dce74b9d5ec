// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin for bench/insns.sh: counts how often each translated
 * block of the guest kernel runs, and writes at exit, for each block,
 * "<start address> <instructions> <executions>".  Instructions executed,
 * unlike TCG time, do not change from one run to the next, nor with what
 * else the host does.
 *
 * Built on the host (bench/insns.sh), for the plugin interface of the
 * QEMU that Debian 12 ships (7.2, interface version 1).  Debian has no
 * header for it, so the few calls used are declared here.
 *
 * usage: qemu-system-x86_64 -plugin insn-count.so,out=FILE ...
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, void *userdata), void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

EXPORT int qemu_plugin_version = 1;

/* Only the kernel's half of the address space: modules and vmlinux. */
#define KERNEL_START	0xffff800000000000ull
#define SLOTS		(1u << 21)

/*
 * One slot per translated block, found again by start and length when the
 * same code is translated anew.  The inline counter is a plain add: two
 * vCPUs may lose a count between them, rarely, as QEMU's own examples do.
 */
struct block {
	uint64_t start;
	uint64_t insns;
	uint64_t runs;
};

static struct block *blocks;
static unsigned int used;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char out[4096] = "insn-count.out";

static struct block *block_slot(uint64_t start, uint64_t insns)
{
	uint64_t i = (start * 0x9e3779b97f4a7c15ull) >> 43;

	for (;; i++) {
		struct block *b = &blocks[i & (SLOTS - 1)];

		if (b->start == start && b->insns == insns)
			return b;
		if (!b->start) {
			if (used + 1 >= SLOTS)
				return NULL;
			used++;
			b->start = start;
			b->insns = insns;
			return b;
		}
	}
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t start = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	(void)id;
	if (start < KERNEL_START)
		return;
	pthread_mutex_lock(&lock);
	b = block_slot(start, qemu_plugin_tb_n_insns(tb));
	pthread_mutex_unlock(&lock);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(tb,
			QEMU_PLUGIN_INLINE_ADD_U64, &b->runs, 1);
}

static void finished(qemu_plugin_id_t id, void *userdata)
{
	FILE *f = fopen(out, "w");
	unsigned int i;

	(void)id;
	(void)userdata;
	if (!f) {
		perror(out);
		return;
	}
	for (i = 0; i < SLOTS; i++)
		if (blocks[i].runs)
			fprintf(f, "%016llx %llu %llu\n",
				(unsigned long long)blocks[i].start,
				(unsigned long long)blocks[i].insns,
				(unsigned long long)blocks[i].runs);
	if (used + 1 >= SLOTS)
		fprintf(stderr, "insn-count: table full, blocks left out\n");
	fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4)) {
			fprintf(stderr, "insn-count: unknown argument %s\n",
				argv[i]);
			return -1;
		}
		snprintf(out, sizeof(out), "%s", argv[i] + 4);
	}
	blocks = calloc(SLOTS, sizeof(*blocks));
	if (!blocks)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, finished, NULL);
	return 0;
}
