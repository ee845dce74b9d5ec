# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced, not run: build a kernel from Debian's linux-source-6.12 (the
# unpacked copy in $LINUX_SRC, only read: the build uses O=) once and cache
# it in $CMAFW_CACHE/<kind>/<key>/, where <key> hashes the recipe number,
# the config fragment, the source version and the compiler.  The config is
# `make tinyconfig` + the fragment + olddefconfig, and every line of the
# fragment must hold in the result.  Used by scripts/check-debug.sh (the
# debug kernel) and scripts/cma-kernel.sh (the mainline-CMA bench kernel).
#
# The caller sets ROOT, sources scripts/env.sh and defines log and die; then
#   kcache_check_tools
#   kcache_build KIND FRAGMENT RECIPE JOBS MODE REBUILD
# MODE `config` stops after a verified .config when the kernel is not built
# yet (KREL is left empty); any other MODE builds it.  REBUILD 1 throws
# the cached kernel for this key away first.  On return KCACHE, OBJ and
# KREL are set.  One build per key at a time, however many trees
# ask for it (flock on $KCACHE.lock).

# kcache_check_tools: die unless the kernel build's tools are installed.
kcache_check_tools() {
	local t missing=()
	for t in make gcc flex bison bc perl xz depmod flock sha256sum tar; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ -f /usr/include/gelf.h ] || [ -f /usr/include/libelf/gelf.h ] ||
		missing+=("libelf-dev (gelf.h)")
	[ ${#missing[@]} -eq 0 ] ||
		die "missing for the kernel build: ${missing[*]} (apt-get install flex bison bc libelf-dev kmod util-linux)"
	if [ ! -f "$LINUX_SRC/Makefile" ] || [ ! -f "$LINUX_SRC/.cmafw-unpacked" ]; then
		die "no unpacked kernel source in $LINUX_SRC: run scripts/deps.sh"
	fi
}

# kcache_verify FRAGMENT CONFIG: print each fragment line the config lacks.
kcache_verify() {
	local line sym got bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			grep -qxF -- "$line" "$2" && continue ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$2" || continue ;;
		*) continue ;;
		esac
		got=$(grep -E "^(# )?${sym}[= ]" "$2" || true)
		printf '  wanted: %-45s got: %s\n' "$line" "${got:-(not in .config: unmet dependencies)}"
		bad=$((bad + 1))
	done <"$1"
	return $((bad > 0))
}

kcache_make() { make -C "$LINUX_SRC" O="$OBJ" "$@"; }

# kcache_configure FRAGMENT
kcache_configure() {
	local report
	log "configuring: tinyconfig + ${1#"$ROOT"/} + olddefconfig in $OBJ"
	mkdir -p "$OBJ"
	kcache_make -s tinyconfig >/dev/null
	# merge_config.sh makes its temporary files in $PWD: keep them in $OBJ.
	(cd "$OBJ" && "$LINUX_SRC/scripts/kconfig/merge_config.sh" -m -Q .config "$1" >/dev/null)
	kcache_make -s olddefconfig >/dev/null
	if ! report=$(kcache_verify "$1" "$OBJ/.config"); then
		printf '%s\n' "$report" >&2
		rm -f "$OBJ/.config"
		die "these options of ${1#"$ROOT"/} did not end up set (see above); fix the fragment"
	fi
	log "config verified: all $(grep -cE '^(CONFIG_|# CONFIG_.* is not set)' "$1") fragment lines hold"
}

# kcache_build KIND FRAGMENT RECIPE JOBS MODE REBUILD
kcache_build() {
	local kind=$1 fragment=$2 recipe=$3 jobs=$4 mode=$5 rebuild=$6 key stamp t0
	[ -f "$fragment" ] || die "$fragment missing"
	key=$({
		printf 'recipe %s\nbase tinyconfig\nsource %s\ncc %s\n' "$recipe" \
			"$(cat "$LINUX_SRC/.cmafw-unpacked")" "$(gcc --version | head -n 1)"
		cat "$fragment"
	} | sha256sum | cut -c1-16)
	KCACHE=$CMAFW_CACHE/$kind/$key
	OBJ=$KCACHE/obj
	KREL=
	stamp=$KCACHE/built
	mkdir -p "$KCACHE"

	exec 9>"$KCACHE.lock"
	if ! flock -n 9; then
		log "another build of $kind $key is running; waiting for it"
		flock 9
	fi
	if [ "$rebuild" = 1 ]; then
		log "--rebuild: removing $KCACHE"
		rm -rf "$OBJ" "$stamp" "$KCACHE/root" "$KCACHE/build.log"
	fi

	if [ -f "$stamp" ] && [ -f "$OBJ/arch/x86/boot/bzImage" ]; then
		KREL=$(cat "$stamp")
		log "kernel $KREL cached in $KCACHE (key $key)"
	else
		t0=$SECONDS
		# A half-built objdir of an interrupted run is reused: make is incremental.
		kcache_configure "$fragment"
		if [ "$mode" = config ]; then
			exec 9>&-
			return 0
		fi
		log "building bzImage and modules with -j$jobs (log: $KCACHE/build.log); a cold build takes minutes"
		if ! kcache_make -j"$jobs" bzImage modules >"$KCACHE/build.log" 2>&1; then
			tail -n 40 "$KCACHE/build.log" >&2
			die "kernel build failed (log: $KCACHE/build.log)"
		fi
		rm -rf "$KCACHE/root"
		kcache_make -s INSTALL_MOD_PATH="$KCACHE/root" modules_install >>"$KCACHE/build.log" 2>&1 ||
			die "modules_install failed (log: $KCACHE/build.log)"
		KREL=$(kcache_make -s kernelrelease)
		printf '%s\n' "$KREL" >"$stamp"
		log "kernel $KREL built in $((SECONDS - t0))s"
	fi
	# The cache is ready; let other builds of this key in.
	exec 9>&-
	[ -f "$KCACHE/root/lib/modules/$KREL/kernel/fs/configfs/configfs.ko" ] ||
		die "configfs.ko missing under $KCACHE/root/lib/modules/$KREL (is CONFIG_CONFIGFS_FS=m?)"
}
