#!/bin/sh
# install-deps.sh - install the Debian 12 packages esafety-milter needs to
# build, run and test (the list is contrib/debian-packages.txt). Run as root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
# Postfix asks questions on install; answer them so nothing waits for a person.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
apt-get update -q
grep -v '^#' "$here/debian-packages.txt" | xargs apt-get install -y -q --no-install-recommends
