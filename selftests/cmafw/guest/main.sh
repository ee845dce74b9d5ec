#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry: runs every test file in order in one shell, so the TAP
# numbering runs on, then the allocation suite again with bestfit and with
# segfit.
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

echo "TAP version 13"
for t in "$here"/[0-9][0-9]-*.sh; do
	# shellcheck disable=SC1090
	. "$t"
done
# shellcheck disable=SC2034 # read by 20-alloc.sh
for ALLOCATOR in bestfit segfit; do
	# shellcheck source=20-alloc.sh
	. "$here/20-alloc.sh"
done
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
