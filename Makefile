# SPDX-License-Identifier: GPL-2.0
#
# cmafw: out-of-tree kernel module.  The module list lives in ./Kbuild.
#
#   make                    build the modules against Debian's 6.12 cloud
#                           headers (the kernel the QEMU guest boots)
#   make KDIR=/lib/modules/$(uname -r)/build
#                           build for the running kernel (real hardware)
#   make check              install deps, build, userspace + guest tests
#   make guest              boot the guest suite only (after make)
#   make sparse | checkpatch | kdoc | lint     static checks
#   make clean

ifeq ($(KERNELRELEASE),)

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ENV_SH := CMAFW_ROOT='$(ROOT)' . '$(ROOT)/scripts/env.sh' >/dev/null 2>&1
KDIR ?= $(shell $(ENV_SH) && printf '%s' "$$KDIR")
LINUX_SRC ?= $(shell $(ENV_SH) && printf '%s' "$$LINUX_SRC")

KSRCS = $(wildcard $(ROOT)/kernel/*.[ch] $(ROOT)/include/linux/*.h \
		   $(ROOT)/selftests/cmafw/module/*.[ch])
SCRIPTS = $(wildcard $(ROOT)/scripts/*.sh $(ROOT)/.ci/run \
		     $(ROOT)/selftests/cmafw/guest/*.sh)

.PHONY: all modules clean check guest deps sparse checkpatch kdoc lint help kdir-check

all: modules

kdir-check:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
	  echo "KDIR '$(KDIR)' not found: run scripts/deps.sh, or pass KDIR=/lib/modules/\$$(uname -r)/build" >&2; \
	  exit 1; }

modules: kdir-check
	$(MAKE) -C $(KDIR) M=$(ROOT) modules
	@$(ROOT)/scripts/check-symbols.sh $(ROOT)/Module.symvers $(KDIR)/Module.symvers

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
	  $(MAKE) -C $(KDIR) M=$(ROOT) clean; fi
	@if [ -f $(ROOT)/selftests/userspace/Makefile ]; then \
	  $(MAKE) -C $(ROOT)/selftests/userspace clean; fi
	rm -rf $(ROOT)/build

check:
	KDIR='$(KDIR)' $(ROOT)/scripts/check.sh

guest:
	$(ROOT)/scripts/guest-run.sh

deps:
	$(ROOT)/scripts/deps.sh

sparse: kdir-check
	$(MAKE) -C $(KDIR) M=$(ROOT) C=2 modules

checkpatch:
	@test -x $(LINUX_SRC)/scripts/checkpatch.pl || { echo "no $(LINUX_SRC): run scripts/deps.sh" >&2; exit 1; }
	$(LINUX_SRC)/scripts/checkpatch.pl --no-tree --terse --show-types -f $(KSRCS)

kdoc:
	@test -x $(LINUX_SRC)/scripts/kernel-doc || { echo "no $(LINUX_SRC): run scripts/deps.sh" >&2; exit 1; }
	$(LINUX_SRC)/scripts/kernel-doc -none -Wall $(KSRCS)

lint:
	shellcheck -x $(SCRIPTS)

help:
	@sed -n '3,13s/^# \{0,1\}//p' $(ROOT)/Makefile


# Benchmarks in the guest (bench/run.sh) and long fuzzing runs
# (selftests/userspace/fuzz.sh; FUZZ_TIME seconds per target).
.PHONY: bench fuzz
bench: kdir-check
	KDIR='$(KDIR)' $(ROOT)/bench/run.sh

fuzz:
	$(ROOT)/selftests/userspace/fuzz.sh

endif
