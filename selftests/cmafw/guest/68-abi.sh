#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The ABI documents list exactly the files the running module creates in
# sysfs and configfs: no file undocumented, no documented file missing.

section "ABI documents"
load_cmafw && load_test
ABI=/Documentation/ABI/testing
CFS=/sys/kernel/config/cmafw
mkdir $CFS/regions/abi
ctl register d drv 0x30000000 1M 0 - >/dev/null
# A lend region too: it has files of its own.
mkdir $CFS/regions/lent
echo 128M >$CFS/regions/lent/size
echo "$CMAFW_LEND_WIN" >$CFS/regions/lent/start
echo lend >$CFS/regions/lent/mode
echo 1 >$CFS/regions/lent/active

# documented FILE: the What: paths, directories with a trailing slash.
documented() {
	sed -n 's/^What:[[:space:]]*//p' "$1" | sort
}

# present ROOT SED: every path under ROOT, directories marked "/", with
# SED replacing the per-region name by the documents' placeholder.  The
# per-region directory itself is described by the regions/ entry.
present() {
	find "$1" | while read -r t_p; do
		if [ -d "$t_p" ]; then t_p="$t_p/"; fi
		echo "$t_p"
	done | sed "$2" | sort -u
}

check "the ABI documents are in the guest" test -r $ABI/sysfs-kernel-cmafw
expect_eq "sysfs-kernel-cmafw lists exactly what sysfs has" \
	"$(present /sys/kernel/cmafw \
		's#/regions/\(drv\|lent\)/#/regions/<region>/#; \#<region>/$#d')" \
	"$(documented $ABI/sysfs-kernel-cmafw)"
expect_eq "configfs-cmafw lists exactly what configfs has" \
	"$(present $CFS 's#/regions/\(abi\|lent\)/#/regions/<name>/#; \#<name>/$#d')" \
	"$(documented $ABI/configfs-cmafw)"

rmdir $CFS/regions/abi
echo 0 >$CFS/regions/lent/active
rmdir $CFS/regions/lent
ctl unregister d >/dev/null
check "both modules unload" unload_all
