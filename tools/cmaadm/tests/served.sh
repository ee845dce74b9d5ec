#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# served.sh DEV[/TYPE]...: for each, "<query> <region>" where the kernel
# really serves a one-page chunk for (DEV, TYPE) (a DEV alone asks with a
# NULL type), or "<query> err -N".  Uses the test driver's control file; one
# busybox sh process for all queries (cheap forks, unlike bash's).
CTL=/sys/kernel/debug/cmafw_test/ctl

ctl() {
	exec 4<>"$CTL"
	echo "$*" >&4
	read -r s_answer <&4
	exec 4>&-
}

for q; do
	case $q in
	*/*) dev=${q%%/*} type=${q#*/} ;;
	*) dev=$q type=- ;;
	esac
	ctl alloc "$dev" "$type" 4096 0
	case $s_answer in
	"ok 0x"*) ;;
	*)
		echo "$q $s_answer"
		continue
		;;
	esac
	addr=$((${s_answer#ok }))
	while read -r range _ name; do
		case $name in cmafw:*'#'*) continue ;; cmafw:*) ;; *) continue ;; esac
		if [ "$addr" -ge $((0x${range%-*})) ] && [ "$addr" -le $((0x${range#*-})) ]; then
			echo "$q ${name#cmafw:}"
		fi
	done </proc/iomem
	ctl free "$addr"
done
