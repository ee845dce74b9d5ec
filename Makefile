# SPDX-License-Identifier: GPL-2.0
#
# cmafw: out-of-tree kernel module.  The module list lives in ./Kbuild.
#
#   make                    build the modules against Debian's 6.12 cloud
#                           headers (the kernel the QEMU guest boots)
#   make KDIR=/lib/modules/$(uname -r)/build
#                           build for the running kernel (real hardware)
#   make demo               install deps, build, replay the use cases in QEMU
#   make check              install deps, build, lint, userspace + guest tests
#   make guest              boot the guest suite only (after make)
#   make check-arm64        the guest suite on Debian's arm64 kernel under
#                           qemu-system-aarch64 with a device tree
#                           (scripts/arm64.sh; cross-built in build/arm64);
#                           KVER=6.1 for the 6.1 one
#   make check-debug        the guest suite on a KASAN/lockdep/kmemleak
#                           kernel built once and cached (scripts/check-debug.sh)
#   make patches            the in-kernel patch series, in build/patches/
#                           (scripts/patches.sh)
#   make check-builtin      cmafw built into linux-source-6.12 with the
#                           series: boot regions (scripts/check-builtin.sh)
#   make check-builtin-arm64  the same, cross-built for arm64 and booted on
#                           QEMU's virt board
#   make lint               every style gate (scripts/lint.sh)
#   make sparse | checkpatch | kdoc            single static checks
#   make install            cmafw.ko, headers, cmaadm + man page; honours
#                           DESTDIR, INSTALL_MOD_PATH, INSTALL_MOD_DIR, KDIR
#   make bench              issue 15's benchmark: gen_pool against the
#                           allocators and the framework, ratios (bench/run.sh)
#   make bench-insns        the framework's instructions per allocation and
#                           free against its placement's, by function
#                           (bench/insns.sh; TCG, 8 boots)
#   make fuzz               the allocators against the placement oracle
#                           (libFuzzer, selftests/userspace)
#   make deps               install the build and test dependencies only
#                           (scripts/deps.sh; installs no kernel)
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

# make install: what goes where (DESTDIR prefixes every path; the module
# goes to $(DESTDIR)$(INSTALL_MOD_PATH)/lib/modules/<release>/$(INSTALL_MOD_DIR),
# and depmod runs only when neither DESTDIR nor INSTALL_MOD_PATH is set).
# The version is dkms.conf's PACKAGE_VERSION.
CMAFW_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*$$/\1/p' $(ROOT)/dkms.conf)
INSTALL_MOD_DIR ?= extra
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
CMAFW_SRCDIR ?= /usr/src/cmafw-$(CMAFW_VERSION)
# Sign at install only when the kernel's signing key is at hand: distro
# headers do not ship it, and sign-file would only fail, noisily.
SIGN_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="*\([^"]*\)"*$$/\1/p' \
		$(KDIR)/include/config/auto.conf 2>/dev/null)
NO_SIGN = $(if $(filter pkcs11:%,$(SIGN_KEY))$(wildcard $(KDIR)/$(SIGN_KEY) $(SIGN_KEY)),,\
		CONFIG_MODULE_SIG_ALL=)
# The release the modules are for, as in their vermagic.  Not
# include/config/kernel.release: Debian's 6.1 headers have 6.1.192 there,
# while the kernel is 6.1.0-NN-cloud-amd64 and so is /lib/modules.
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
INSTALL_FILES = tools/cmaadm/cmaadm tools/cmaadm/cmaadm.8 \
		include/linux/cmafw.h include/linux/cmafw-allocator.h

.PHONY: all modules clean check guest deps sparse checkpatch kdoc lint help kdir-check \
	demo install

all: modules

kdir-check:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { \
	  echo "KDIR '$(KDIR)' not found: run scripts/deps.sh, or pass KDIR=/lib/modules/\$$(uname -r)/build" >&2; \
	  exit 1; }

modules: kdir-check heaptest
	$(MAKE) -C $(KDIR) M=$(ROOT) modules
	@$(ROOT)/scripts/check-symbols.sh $(ROOT)/Module.symvers $(KDIR)/Module.symvers

# The static dma-buf heap client the guest tests run.
.PHONY: heaptest
heaptest:
	$(MAKE) -C $(ROOT)/selftests/cmafw/heap

clean:
	$(MAKE) -C $(ROOT)/selftests/cmafw/heap clean
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
	$(ROOT)/scripts/lint.sh

demo:
	KDIR='$(KDIR)' $(ROOT)/scripts/demo.sh

install: modules
	@missing=; for f in $(INSTALL_FILES); do \
	  [ -f '$(ROOT)'/$$f ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make install: missing from the tree:$$missing; nothing installed" >&2; \
	  exit 1; fi
	@test -n '$(KREL)' || { echo "make install: no UTS_RELEASE in $(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(ROOT)/kernel modules_install DEPMOD=true $(NO_SIGN) \
	  KERNELRELEASE='$(KREL)' \
	  INSTALL_MOD_PATH='$(DESTDIR)$(INSTALL_MOD_PATH)' INSTALL_MOD_DIR='$(INSTALL_MOD_DIR)'
	@if [ -z '$(DESTDIR)$(INSTALL_MOD_PATH)' ]; then \
	  echo "  DEPMOD  $(KREL)" && depmod -a '$(KREL)'; \
	else echo "  (staged: depmod not run)"; fi
	install -D -m 0644 $(ROOT)/include/linux/cmafw.h \
	  '$(DESTDIR)$(CMAFW_SRCDIR)/include/linux/cmafw.h'
	install -D -m 0644 $(ROOT)/include/linux/cmafw-allocator.h \
	  '$(DESTDIR)$(CMAFW_SRCDIR)/include/linux/cmafw-allocator.h'
	awk '$$3 ~ /\/kernel\/cmafw$$/' $(ROOT)/Module.symvers \
	  >'$(DESTDIR)$(CMAFW_SRCDIR)/Module.symvers'
	install -D -m 0755 $(ROOT)/tools/cmaadm/cmaadm '$(DESTDIR)$(SBINDIR)/cmaadm'
	install -D -m 0644 $(ROOT)/tools/cmaadm/cmaadm.8 '$(DESTDIR)$(MANDIR)/man8/cmaadm.8'

help:
	@sed -n '3,/^$$/{/^$$/d;s/^# \{0,1\}//p;}' $(ROOT)/Makefile

# Benchmarks in the guest: placement against gen_pool (bench/run.sh), the
# heap against the system heap (bench/heap.sh) and lend mode against
# mainline CMA (bench-lend; its kernel is built once and cached); long
# fuzzing runs (selftests/userspace/fuzz.sh; FUZZ_TIME seconds per target).
.PHONY: bench fuzz bench-lend bench-insns
bench: kdir-check bench-lend
	KDIR='$(KDIR)' $(ROOT)/bench/run.sh
	KDIR='$(KDIR)' $(ROOT)/bench/heap.sh

# Lend mode against mainline CMA and a carve-out, in one guest run of the
# kernel scripts/cma-kernel.sh builds (bench/lend.sh); also part of bench
bench-lend: kdir-check
	KDIR='$(KDIR)' $(ROOT)/bench/lend.sh

# P5 counted rather than timed: QEMU counts the instructions (bench/insns.sh)
bench-insns: kdir-check
	KDIR='$(KDIR)' $(ROOT)/bench/insns.sh --floor

fuzz:
	$(ROOT)/selftests/userspace/fuzz.sh

# The whole guest suite on arm64 (make check runs its smoke subset).
.PHONY: check-arm64
check-arm64:
	$(ROOT)/scripts/deps.sh
	GUEST_TIMEOUT=$${GUEST_TIMEOUT:-1800} $(ROOT)/scripts/arm64.sh run

# The guest suite on a debug kernel built from linux-source-6.12 and cached
# outside the tree; see scripts/check-debug.sh.
.PHONY: check-debug
check-debug:
	$(ROOT)/scripts/check-debug.sh

# The series for linux-source-6.12 generated from kernel/ and include/, and
# that series built into a kernel and booted; see scripts/patches.sh and
# scripts/check-builtin.sh.
.PHONY: patches check-builtin check-builtin-arm64
patches:
	$(ROOT)/scripts/patches.sh

check-builtin:
	$(ROOT)/scripts/check-builtin.sh

check-builtin-arm64:
	$(ROOT)/scripts/check-builtin.sh --arch arm64

endif
