#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cmaadm, the administrator's tool (tools/cmaadm/), against the real
# module: its bats suite runs once with the tool under busybox ash and once
# under bash (or under the shells CMAFW_CMAADM_SHELLS lists), and every bats
# result becomes a test of this TAP stream.

section "cmaadm"
CMAADM_TESTS=${CMAFW_TOOLS:-/tools}/cmaadm/tests

# cmaadm_bats SHELL: run the suite with the tool under SHELL and translate
# its TAP ("ok N desc", "not ok N desc", "# ...", "1..N") into ok/not_ok.
cmaadm_bats() {
	t_tap=/tmp/cmaadm-$1.tap
	CMAADM_SHELL=$1 bats --tap "$CMAADM_TESTS/cmaadm.bats" >"$t_tap" 2>&1
	t_status=$?
	t_plan=
	t_seen=0
	t_bad=0
	while IFS= read -r t_line; do
		case $t_line in
		"1.."*) t_plan=${t_line#1..} ;;
		"ok "[0-9]*)
			t_line=${t_line#ok }
			t_line=${t_line#* }
			case $t_line in
			*" # skip"*) ok "cmaadm [$1]: ${t_line%% # skip*} # SKIP${t_line#* # skip}" ;;
			*) ok "cmaadm [$1]: $t_line" ;;
			esac
			t_seen=$((t_seen + 1))
			;;
		"not ok "[0-9]*)
			t_line=${t_line#not ok }
			not_ok "cmaadm [$1]: ${t_line#* }"
			t_seen=$((t_seen + 1))
			t_bad=$((t_bad + 1))
			;;
		"#"*) echo "$t_line" ;;
		*) echo "# $t_line" ;;
		esac
	done <"$t_tap"
	if [ -z "$t_plan" ] || [ "$t_seen" -ne "$t_plan" ]; then
		not_ok "cmaadm [$1]: bats ran every test (plan '${t_plan:-none}', $t_seen results, exit status $t_status)"
	elif [ "$t_status" -ne 0 ] && [ "$t_bad" -eq 0 ]; then
		not_ok "cmaadm [$1]: bats exited with status $t_status"
	fi
}

# Seconds since boot, whole.
cmaadm_now() {
	read -r t_up _ </proc/uptime
	echo "${t_up%.*}"
}

# The shells the tool runs under, one bats pass each: busybox ash ("sh")
# and bash unless guest-run.sh was given GUEST_CMAADM_SHELLS ("none" for
# no pass; make check gives one x86 kernel the ash pass, the other none).
CMAADM_SHELLS=${CMAFW_CMAADM_SHELLS:-sh bash}

# A pass after the first is skipped, visibly, when the first took longer
# than this many seconds.  Under TCG on two cores the ash pass takes about
# 40 s in a guest alone and 100-180 s beside the other emulators of make
# check, and the bash pass a fifth longer; on a host crowded with other
# emulators several times more, and then a second pass would not fit the
# guest's time limit (GUEST_TIMEOUT) together with the other sections.
CMAADM_BATS_BUDGET=${CMAADM_BATS_BUDGET:-200}

# cmaadm_shell_name SHELL: how the TAP lines and the notes name SHELL.
cmaadm_shell_name() {
	case $1 in
	sh) echo "busybox ash" ;;
	*) echo "$1" ;;
	esac
}

if [ "$CMAADM_SHELLS" = none ]; then
	ok "cmaadm: the bats suite # SKIP no pass in this guest (GUEST_CMAADM_SHELLS=none: make check runs it in the other kernel's)"
elif ! command -v bats >/dev/null 2>&1; then
	not_ok "cmaadm: bats is in the guest (install bats on the host; guest-run.sh copies it)"
elif [ ! -f "$CMAADM_TESTS/cmaadm.bats" ]; then
	not_ok "cmaadm: the suite is at $CMAADM_TESTS/cmaadm.bats"
else
	t_first=
	for t_shell in $CMAADM_SHELLS; do
		if ! command -v "$t_shell" >/dev/null 2>&1; then
			not_ok "cmaadm: $t_shell is in the guest"
		elif [ -n "$t_first" ] && [ "$t_first" -gt "$CMAADM_BATS_BUDGET" ]; then
			ok "cmaadm [$t_shell]: the suite under $(cmaadm_shell_name "$t_shell") # SKIP the first pass took $t_first s (budget $CMAADM_BATS_BUDGET s): the host is too slow for two"
		else
			t_start=$(cmaadm_now)
			cmaadm_bats "$t_shell"
			t_took=$(($(cmaadm_now) - t_start))
			echo "# cmaadm: the suite took $t_took s with the tool under $(cmaadm_shell_name "$t_shell")"
			t_first=${t_first:-$t_took}
		fi
	done
fi
check "both modules unload after cmaadm" unload_all
