# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Debian packages fetched for the guests and never installed on the host.
# Source it from bash:  . "$ROOT/scripts/debs.sh"

# cmafw_debs TOP THEN PKG...: `apt-get download` PKG... and unpack them
# with dpkg-deb -x into TOP/root, once: TOP/.unpacked holds the package
# list done, so another list redoes it.  The work happens in a temporary
# directory under TOP/.lock; THEN (a function, or :) runs on its root
# before it becomes TOP/root, so a failure leaves no half-made TOP/root.
# Returns 1, with a line on stderr, when a step fails.
cmafw_debs() {
	local top=$1 then=$2 want tmp='' d ret=0
	shift 2
	want=$*
	[ -f "$top/.unpacked" ] && [ "$(cat "$top/.unpacked")" = "$want" ] &&
		return 0
	mkdir -p "$top" || return 1
	exec 7>"$top/.lock"
	flock 7
	if [ ! -f "$top/.unpacked" ] || [ "$(cat "$top/.unpacked")" != "$want" ]; then
		tmp=$(mktemp -d "$top/.dl.XXXXXX") || ret=1
		if [ $ret = 0 ] && ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$@" >/dev/null); then
			printf 'apt-get download %s failed\n' "$*" >&2
			ret=1
		fi
		if [ $ret = 0 ]; then
			mkdir -p "$tmp/root"
			for d in "$tmp"/*.deb; do
				dpkg-deb -x "$d" "$tmp/root" || ret=1
			done
		fi
		[ $ret != 0 ] || "$then" "$tmp/root" || ret=1
		if [ $ret = 0 ]; then
			rm -rf "${top:?}/root"
			if mv "$tmp/root" "$top/root"; then
				printf '%s\n' "$want" >"$top/.unpacked"
			else
				ret=1
			fi
		fi
		[ -z "$tmp" ] || rm -rf "$tmp"
	fi
	exec 7>&-
	return $ret
}
