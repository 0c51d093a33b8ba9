#!/bin/sh
# update-docs.sh - regenerate the sample config and the option list of
# esafety.conf(5) from the key table, after adding or changing a key.
# Usage: make update-docs (in the build directory), which runs
#   contrib/update-docs.sh BUILT_ESAFETY_MILTER PKGDATADIR SYSCONFDIR LOCALSTATEDIR
# The documents show Debian's paths (/usr/share/esafety-milter, /etc, /var)
# whatever prefix this build has. tests/unit/conf_docs.sh fails until this has run.
set -eu
bin="$1"
here=$(cd "$(dirname "$0")" && pwd)
debian_paths() { sed "s|$2|/usr/share/esafety-milter|g; s|$3|/etc|g; s|$4|/var|g"; }
"$bin" --sample-config | debian_paths "$@" > "$here/esafety.conf.example"
"$bin" --man-options | debian_paths "$@" > "$here/man/options.tmp"
awk -v opts="$here/man/options.tmp" '
	/^\.\\" BEGIN OPTIONS/ { print; while ((getline l < opts) > 0) print l; skip = 1; next }
	/^\.\\" END OPTIONS/ { skip = 0 }
	!skip { print }' "$here/man/esafety.conf.5" > "$here/man/esafety.conf.5.new"
mv "$here/man/esafety.conf.5.new" "$here/man/esafety.conf.5"
rm -f "$here/man/options.tmp"
echo "updated contrib/esafety.conf.example and contrib/man/esafety.conf.5"
