#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input, table-driven: every writable configfs attribute, region names,
# read-only sysfs and configfs files, the module parameters and the test
# driver's control file.  Each case asserts the errno and that nothing
# changed.  70-configfs.sh has the first cases of each configfs attribute;
# these extend them.

section "bad input"
load_cmafw 'regions=p=1M@0x30000000' && load_test
bi_cfs=/sys/kernel/config/cmafw
bi_sys=/sys/kernel/cmafw
bi_r=$bi_cfs/regions/bi
BI_CASES=0
ENOSPC_T="No space left on device"
bi_long=$(head -c 4100 /dev/zero | tr '\0' 1)
bi_huge=$(head -c 4300 /dev/zero | tr '\0' 1)

# bi_state: everything a refused input must leave as it was, in one
# process: bi's configuration, the map, the regions, /proc/iomem.
bi_state() {
	grep -H . "$bi_r"/* $bi_cfs/map /sys/module/cmafw/refcnt \
		"$bi_sys"/regions/*/used "$bi_cfs"/regions/*/used /proc/iomem 2>&1
}

# bi_value VALUE: the value to write; @long stands for 4100 bytes.
bi_value() {
	if [ "$1" = @long ]; then echo "$bi_long"; else echo "$1"; fi
}

# bi_logged: the kernel log lines since log_mark (lib.sh) at warning level
# or above, raw ("<3>[time] text"), and the continuations of a message
# broken by a newline it holds; not the clocksource watchdog's, the
# scheduler clock's "TSC found unstable after boot", nor the hrtimer's
# "interrupt took N ns", which a stall of TCG's host may provoke at any
# time.
bi_logged() {
	dmesg -r | tail -n +$((T_LOG_MARK + 1)) |
		grep -Ev -e '^<([5-7]|[1-9][0-9]+)>' \
			-e 'clocksource|tsc:|TSC found unstable|hrtimer: interrupt took'
}

# bi_lines DESCRIPTION LOG COUNT: LOG has COUNT lines; shows them if not.
bi_lines() {
	t_n=$(printf '%s' "$2" | grep -c '')
	expect_eq "$1" "$t_n" "$3"
	[ "$t_n" = "$3" ] || printf '%s\n' "$2" | sed 's/^/#   log: /'
}

# bi_expect DESCRIPTION GOT EXPECTED BEFORE [LINES]: one case, its errno,
# that the state is still BEFORE and, when LINES is given, that the case
# logged that many kernel log lines since log_mark (a refusal logs one).
bi_expect() {
	if [ -n "${5:-}" ]; then
		bi_lines "$1: logs $5 line(s)" "$(bi_logged)" "$5"
	fi
	expect_eq "$1: $3" "$2" "$3"
	expect_eq "$1: nothing changed" "$(bi_state)" "$4"
	BI_CASES=$((BI_CASES + 1))
}

# bi_writes DIR [LINES]: read "FILE|VALUE|EXPECTED" lines and write each
# VALUE (echo -e escapes, @long) to DIR/FILE; each logs LINES lines.
bi_writes() {
	while IFS='|' read -r t_file t_val t_exp; do
		case $t_file in '' | '#'*) continue ;; esac
		t_before=$(bi_state)
		log_mark
		bi_expect "write '$t_val' to ${t_file}" \
			"$(wr "$1/$t_file" "$(bi_value "$t_val")")" "$t_exp" \
			"$t_before" "${2:-}"
	done
}

section "bad input: configfs attributes of an inactive region"
mkdir $bi_r
for kv in size=2M start=0x22000000 allocator=bestfit; do
	wr "$bi_r/${kv%%=*}" "${kv#*=}" >/dev/null
done
expect_eq "a valid configuration to start from" \
	"$(cat $bi_r/size $bi_r/start $bi_r/alignment $bi_r/allocator $bi_r/active | tr '\n' ' ')" \
	"2097152 0x22000000 0 bestfit 0 "
bi_writes $bi_r 1 <<EOF
size|\t4096|$EINVAL_T
size| 4096|$EINVAL_T
size|4096 |$EINVAL_T
size|4096\n\n|$EINVAL_T
size|+4096|$EINVAL_T
size|4KK|$EINVAL_T
size|1.5M|$EINVAL_T
size|4097|$EINVAL_T
size|0x1001|$EINVAL_T
size|0x10000000000000000|$ERANGE_T
size|17179869184G|$ERANGE_T
size|@long|$EINVAL_T
size|\0|$EINVAL_T
size|40\00096|$EINVAL_T
start| 0x22000000|$EINVAL_T
start|0x22000000 |$EINVAL_T
start|0x23000000\n\n|$EINVAL_T
start|0x22000001|$EINVAL_T
start|-0x1000|$EINVAL_T
start|0x1000000000000000000|$ERANGE_T
start|18446744073709551616|$ERANGE_T
start|@long|$EINVAL_T
start|0x22\000000000|$EINVAL_T
alignment|12K|$EINVAL_T
alignment|6M|$EINVAL_T
alignment|2048|$EINVAL_T
alignment|1|$EINVAL_T
alignment|0x10000000000000000|$ERANGE_T
alignment|16777216T|$ERANGE_T
alignment|@long|$EINVAL_T
alignment|\t|$EINVAL_T
allocator|@long|$EINVAL_T
allocator| bitmap|$EINVAL_T
allocator|bitmap |$EINVAL_T
allocator|bitmap\n\n|$EINVAL_T
allocator|\0|$EINVAL_T
allocator|a;b|$EINVAL_T
allocator|BITMAP|$ENODEV_T
active|@long|$EINVAL_T
active| 1|$EINVAL_T
active|1 |$EINVAL_T
active|0x2|$EINVAL_T
active|-0|$EINVAL_T
active|1\0|$EINVAL_T
active|true|$EINVAL_T
active|0\n\n|$EINVAL_T
mode|Lend|$EINVAL_T
mode|lend\n\n|$EINVAL_T
mode|carve\0|$EINVAL_T
mode|@long|$EINVAL_T
EOF
log_mark
wr $bi_r/mode borrow >/dev/null
check "a refused mode's line quotes it" \
	log_since 'regions/bi/mode: "borrow" refused: expected carve or lend'
bi_writes $bi_cfs 1 <<EOF
map| |$EINVAL_T
map|\t|$EINVAL_T
map|a=r |$EINVAL_T
map|a=r\r|$EINVAL_T
map|a=r\n\n|$EINVAL_T
map|\0|$EINVAL_T
map|*|$EINVAL_T
map|=|$EINVAL_T
map|,|$EINVAL_T
map|a,=r|$EINVAL_T
map|a=r,|$EINVAL_T
map|a/b*c=r|$EINVAL_T
EOF

section "bad input: activations that must fail"
# Another configfs region to overlap: o, 16 MiB at 0x20000000.
mkdir $bi_cfs/regions/o
for kv in size=16M start=0x20000000 active=1; do
	wr "$bi_cfs/regions/o/${kv%%=*}" "${kv#*=}" >/dev/null
done
# bi_refused SIZE START ALIGNMENT EXPECTED: configure bi, then activating
# it fails with EXPECTED, one line and no change.
bi_refused() {
	t_cfg=
	for kv in size=$1 start=$2 alignment=$3; do
		t_cfg=$t_cfg$(wr "$bi_r/${kv%%=*}" "${kv#*=}")
	done
	expect_eq "configure $1 at $2 aligned $3" "$t_cfg" okokok
	t_before=$(bi_state)
	log_mark
	bi_expect "activate $1 at $2 aligned $3" \
		"$(wr $bi_r/active 1)" "$4" "$t_before" 1
}
while read -r t_size t_start t_align t_exp; do
	bi_refused "$t_size" "$t_start" "$t_align" "$t_exp"
done <<EOF
1T 0x22000000 0 $EADDRINUSE_T
0xfffffffffffff000 0x22000000 0 $EINVAL_T
1M 0x22000000 0x8000000000000000 $EINVAL_T
1M 0x22100000 32M $EINVAL_T
1M $CMAFW_RAM_START 0 $EADDRNOTAVAIL_T
2M $CMAFW_STRADDLE 0 $EADDRNOTAVAIL_T
4K $CMAFW_SYSRAM 0 $EADDRNOTAVAIL_T
1M 0x20800000 0 $EADDRINUSE_T
32M 0x20000000 0 $EADDRINUSE_T
2M 0x1ff00000 0 $EADDRINUSE_T
16M 0x20000000 0 $EADDRINUSE_T
8K 0x300ff000 0 $EADDRINUSE_T
EOF

# Past the end of the CPU's physical address space, where x86 sets it
# (QEMU's 40 bits here): refused before anything is claimed or allocated.
if [ "$(uname -m)" = x86_64 ]; then
	bi_refused 1T 0x10000000000 0 "$EADDRNOTAVAIL_T"
	check "...the line says where the physical address space ends" \
		log_since "bi: 0x0*10000000000-0x0*1ffffffffff lies beyond the physical address space, which ends at 0x0*ffffffffff"
fi

section "bad input: writes while live"
for kv in size=2M start=0x22000000 alignment=0 active=1; do
	wr "$bi_r/${kv%%=*}" "${kv#*=}" >/dev/null
done
bi_chunk=$(addr_of "$(ctl from bi 4K 0)")
expect_eq "bi is live with a chunk" "$bi_chunk $(cat $bi_r/chunks)" \
	"0x22000000 1"
bi_writes $bi_cfs/regions 1 <<EOF
bi/size|2M|$EBUSY_T
bi/start|0x22000000|$EBUSY_T
bi/alignment|0|$EBUSY_T
bi/allocator|bestfit|$EBUSY_T
bi/allocator|whole|$EBUSY_T
bi/active|0|$EBUSY_T
bi/active|2|$EINVAL_T
o/size|1M|$EBUSY_T
o/start|0x20000000|$EBUSY_T
EOF
t_before=$(bi_state)
log_mark
t_out=$(rmdir $bi_r 2>&1)
# configfs refuses it before cmafw runs, without a log line: see
# Documentation/ABI/testing/configfs-cmafw.
bi_expect "rmdir of a live region" "${t_out##*: }" "$EBUSY_T" "$t_before" 0
ctl free "$bi_chunk" >/dev/null

section "bad input: region names"
while IFS='|' read -r t_name t_exp; do
	t_before=$(bi_state)
	# shellcheck disable=SC3037 # busybox ash's echo takes -e
	t_dir=$bi_cfs/regions/$(echo -e "$t_name")
	log_mark
	t_out=$(mkdir "$t_dir" 2>&1)
	# configfs itself refuses an existing name, silently.
	t_lines=1
	[ "$t_exp" != "$EEXIST_T" ] || t_lines=0
	bi_expect "mkdir '$t_name'" "${t_out##*: }" "$t_exp" "$t_before" \
		"$t_lines"
done <<EOF
a;b|$EINVAL_T
a=b|$EINVAL_T
a?b|$EINVAL_T
a*b|$EINVAL_T
a@b|$EINVAL_T
a#b|$EINVAL_T
a b|$EINVAL_T
a\tb|$EINVAL_T
\001|$EINVAL_T
\x7f|$EINVAL_T
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|$EINVAL_T
bi|$EEXIST_T
EOF

section "bad input: read-only files"
bi_ro=
for f in base size free used chunks allocator origin largest_free \
	free_extents owners alloc_success alloc_fail release_success; do
	bi_ro="$bi_ro ${bi_sys#/sys/}/regions/p/$f"
done
bi_ro="$bi_ro ${bi_sys#/sys/}/allocators module/cmafw/parameters/regions"
bi_ro="$bi_ro module/cmafw/parameters/map module/cmafw/parameters/index"
bi_ro="$bi_ro ${bi_r#/sys/}/chunks ${bi_r#/sys/}/used"
bi_writes /sys <<EOF
$(for f in $bi_ro; do echo "$f|1|$EACCES_T"; done)
EOF

section "bad input: the test driver's control file"
# bi_ctl COMMAND: write COMMAND (echo -e escapes) and a newline in one
# write, print the answer, or the write's error text.
bi_ctl() {
	exec 3<>"$CTL"
	# shellcheck disable=SC3037 # busybox ash's echo takes -n and -e
	if t_out=$(echo -ne "$1\n" 2>&1 >&3) && [ -z "$t_out" ]; then
		read -r t_answer <&3
		echo "$t_answer"
	else
		echo "${t_out##*: }"
	fi
	exec 3>&-
}
while IFS='|' read -r t_cmd t_exp; do
	case $t_cmd in '#'*) continue ;; esac
	t_before=$(bi_state)
	bi_expect "command '$t_cmd'" "$(bi_ctl "$t_cmd")" "${t_exp:-err -$EINVAL}" \
		"$t_before"
done <<EOF
# empty, blank, unknown
|
   |
\t|
nosuch|
ALLOC d - 4K 0|
alloc\0 d - 4K 0|
a b c d e f g h i|
# argument counts
alloc|
alloc d - 4K|
alloc d - 4K 0 0|
from p 4K|
free|
free 0x30000000 0|
info|
info_about|
unregister|
allocator_register now|
stress|
stress 1 1|
# numbers
alloc d - abc 0|
alloc d - 4Kx 0|
alloc d - 4K x|
alloc d - -4K 0|
# a memory type that is no region-style name
alloc d a=b 4K 0|
alloc d a#b 4K 0|
from p 4K 0x|
free abc|
free 0x|
free -1|
free 0x30000000x|
free 18446744073709551616|
register h n zz 1M 0 -|
register h n 0x22000000 1M? 0 -|
# handles and names
region_alloc nosuch 4K 0|
unregister nosuch|
register hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh n 0x22000000 1M 0 -|
register h nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn 0x22000000 1M 0 -|
# stress arguments: nothing runs
stress 0 1 p|
stress 1 0 p|
stress 1 17 p|
stress 601 1 p|
stress x 1 p|
stress 1 1 nosuch|
stress 1 1 p,nosuch|
stress 1 1 p,,p|
stress 1 1 ,|
# longer than the driver takes: the write itself fails
$bi_long|
$bi_huge|$EINVAL_T
EOF
log_mark
expect_eq "a memory type that is no name: EINVAL" \
	"$(bi_ctl 'alloc d a;b 4K 0')" "err -$EINVAL"
check "...with one line naming it" log_since 'cmafw: d: memory type "a;b" is not a valid name'
log_mark
expect_eq "cma_info with that type: EINVAL too, as cma_alloc says" \
	"$(bi_ctl 'info d a;b')" "err -$EINVAL"
check "...with the same line" log_since 'cmafw: d: memory type "a;b" is not a valid name'

rmdir $bi_r
wr $bi_cfs/regions/o/active 0 >/dev/null
rmdir $bi_cfs/regions/o
check "both modules unload" unload_all

section "bad input: module parameters"
# REGIONS|MAP|INDEX|EXPECTED: loading with these parameters fails with
# EXPECTED and leaves nothing; "-" leaves a parameter out.
while IFS='|' read -r t_regions t_map t_index t_exp; do
	case $t_regions in '#'*) continue ;; esac
	t_before=$(cat /proc/iomem; ls /sys/module)
	set -- "$MODDIR/cmafw.ko"
	[ "$t_regions" = - ] || set -- "$@" "regions=$(bi_value "$t_regions")"
	[ "$t_map" = - ] || set -- "$@" "map=$(bi_value "$t_map")"
	[ "$t_index" = - ] || set -- "$@" "index=$t_index"
	log_mark
	if t_out=$(insmod "$@" 2>&1); then
		t_out=ok
		rmmod cmafw
	fi
	# A line longer than printk takes loses its newline and shows only
	# once the next message comes: send one (user level, not counted).
	echo "cmafw badinput: case done" >/dev/kmsg
	t_desc="regions='$t_regions' map='$t_map' index='$t_index'"
	# busybox insmod retries a failed finit_module() with init_module():
	# the module is loaded twice, so count distinct lines.  A value longer
	# than a string parameter takes (ENOSPC) is refused by the kernel's
	# parameter parser, with its own two lines, before cmafw's code runs.
	t_lines=1
	[ "$t_exp" != "$ENOSPC_T" ] || t_lines=2
	bi_lines "$t_desc: logs $t_lines distinct line(s)" \
		"$(bi_logged | sed 's/^<[0-9]*>\[[^]]*\] //' | sort -u)" "$t_lines"
	expect_eq "$t_desc: $t_exp" "${t_out##*: }" "$t_exp"
	expect_eq "$t_desc: nothing is left" "$(cat /proc/iomem; ls /sys/module)" \
		"$t_before"
	BI_CASES=$((BI_CASES + 1))
done <<EOF
x|-|-|$EINVAL_T
=1M@0x20000000|-|-|$EINVAL_T
a=@0x20000000|-|-|$EINVAL_T
a=1M@|-|-|$EINVAL_T
a=1M@0x20000000/|-|-|$EINVAL_T
a=1M@0x20000000/3M|-|-|$EINVAL_T
a=1M@0x20000000:|-|-|$EINVAL_T
a=1M@0x20000000:bit,map|-|-|$EINVAL_T
a=0@0x20000000|-|-|$EINVAL_T
a=-1M@0x20000000|-|-|$EINVAL_T
a=1M@-0x20000000|-|-|$EINVAL_T
a=18446744073709551617@0x20000000|-|-|$EINVAL_T
a=1M@0x10000000020000000|-|-|$EINVAL_T
a?b=1M@0x20000000|-|-|$EINVAL_T
a#b=1M@0x20000000|-|-|$EINVAL_T
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1M@0x20000000|-|-|$EINVAL_T
a=1M@0xfffffffffffff000|-|-|$EINVAL_T
a=1M@0x20000000;a=1M@0x30000000|-|-|$EEXIST_T
a=1M@0x20000000;b=1M@0x20000000|-|-|$EADDRINUSE_T
a=1M@$CMAFW_RAM_START|-|-|$EADDRNOTAVAIL_T
a=2M@$CMAFW_STRADDLE|-|-|$EADDRNOTAVAIL_T
@long|-|-|$ENOSPC_T
a=1M@0x20000000|*|-|$EINVAL_T
a=1M@0x20000000|a=r;;|-|$EINVAL_T
-|a/=r|-|$EINVAL_T
-|@long|-|$ENOSPC_T
-|-|-1|$EINVAL_T
-|-|maybe|$EINVAL_T
a=1M@0x20000000|-|x|$EINVAL_T
EOF
check "nothing is loaded after the refusals" unload_all
echo "# bad-input cases: $BI_CASES"
