#!/bin/bash
# conf_docs.sh - the sample config and the man page's option list are exactly
# what the key table gives (regenerate both with contrib/update-docs.sh)
. "$top_srcdir/tests/lib/tap.sh"
bin="$top_builddir/milter/esafety-milter"
# the documents show Debian's paths, whatever prefix this build has
debian_paths() { sed "s|$pkgdatadir|/usr/share/esafety-milter|g; s|$sysconfdir|/etc|g; s|$localstatedir|/var|g"; }
diff -u "$top_srcdir/contrib/esafety.conf.example" <("$bin" --sample-config | debian_paths) > /tmp/conf_docs.$$ 2>&1
ok $? "contrib/esafety.conf.example matches the key table"
[ -s /tmp/conf_docs.$$ ] && sed 's/^/#   /' /tmp/conf_docs.$$ | head -20
diff -u <(sed -n '/^\.\\" BEGIN OPTIONS/,/^\.\\" END OPTIONS/p' "$top_srcdir/contrib/man/esafety.conf.5" | sed '1d;$d') \
	<("$bin" --man-options | debian_paths) > /tmp/conf_docs.$$ 2>&1
ok $? "esafety.conf(5) option list matches the key table"
[ -s /tmp/conf_docs.$$ ] && sed 's/^/#   /' /tmp/conf_docs.$$ | head -20
# the sample config itself must load: every default passes its own checks
sed 's/^#\([a-z_]* = \)/\1/; /^#\[school:NAME\]/,$d' <("$bin" --sample-config) > /tmp/conf_docs.$$.conf
"$bin" -n -c /tmp/conf_docs.$$.conf > /dev/null 2>/tmp/conf_docs.$$
# defaults name installed paths (rules_dir) that need not exist in a build tree;
# a key error would name the file and a line instead
grep -q "conf_docs.$$.conf:[0-9]*:" /tmp/conf_docs.$$; ok $((! $?)) "the sample config, uncommented, has no key error"
[ -s /tmp/conf_docs.$$ ] && sed 's/^/#   /' /tmp/conf_docs.$$ | head -5
rm -f /tmp/conf_docs.$$ /tmp/conf_docs.$$.conf
done_testing
