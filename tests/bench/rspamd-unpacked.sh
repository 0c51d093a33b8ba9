#!/bin/sh
# rspamd-unpacked.sh - make an `rspamd` command from Debian's rspamd .deb unpacked
# in a private folder, for hosts where `apt-get install rspamd` is impossible.
#
# Why: Debian 12's rspamd depends on libhyperscan5, which conflicts with
# libvectorscan5 (what esafety-milter builds against). Both ship the same
# library (libhs.so.5, vectorscan is the portable fork), so the unpacked rspamd
# runs on libvectorscan5 without touching dpkg's state. Only rspamd's own
# shared libraries, luajit and the other ordinary dependencies must be installed.
#
# usage: tests/bench/rspamd-unpacked.sh DIR
#   Downloads rspamd with `apt-get download`, unpacks it under DIR/root,
#   writes DIR/bin/rspamd (a wrapper that points rspamd's compiled-in paths
#   into DIR/root) and creates the _rspamd system user if it is missing.
#   Then: PATH=DIR/bin:$PATH tests/bench/peers.sh ...
set -eu
dir=${1:?usage: rspamd-unpacked.sh DIR}
mkdir -p "$dir/bin"
dir=$(cd "$dir" && pwd)
if [ ! -x "$dir/root/usr/bin/rspamd" ]; then
	(cd "$dir" && apt-get download rspamd)
	dpkg -x "$dir"/rspamd_*.deb "$dir/root"
fi
id _rspamd >/dev/null 2>&1 ||
	useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin _rspamd
r="$dir/root"
cat > "$dir/bin/rspamd" <<EOF
#!/bin/sh
# rspamd wrapper made by rspamd-unpacked.sh: rspamd from $r
# (-c /etc/rspamd/rspamd.conf is mapped to the unpacked copy)
n=\$#
while [ \$n -gt 0 ]; do
	a=\$1; shift; n=\$((n - 1))
	case "\$a" in /etc/rspamd/*) a="$r\$a" ;; esac
	set -- "\$@" "\$a"
done
LD_LIBRARY_PATH="$r/usr/lib/rspamd\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$r/usr/bin/rspamd" \\
	--var="CONFDIR=$r/etc/rspamd" --var="SHAREDIR=$r/usr/share/rspamd" \\
	--var="RULESDIR=$r/usr/share/rspamd/rules" --var="PLUGINSDIR=$r/usr/share/rspamd/plugins" \\
	--var="LUALIBDIR=$r/usr/share/rspamd/lualib" --var="WWWDIR=$r/usr/share/rspamd/www" "\$@"
EOF
chmod 755 "$dir/bin/rspamd"
if ! "$dir/bin/rspamd" --version >/dev/null 2>&1; then
	echo "rspamd-unpacked.sh: $dir/bin/rspamd does not run; missing libraries:" >&2
	LD_LIBRARY_PATH="$r/usr/lib/rspamd" ldd "$r/usr/bin/rspamd" | grep 'not found' >&2
	exit 1
fi
echo "$dir/bin/rspamd"
