#!/usr/bin/env bash
# Install the Debian packages the tests need, when missing (never a downloaded build).
# Usage: scripts/ensure-debian-packages.sh /path/of/a/binary=package ...
#   /usr/bin/chromium=chromium        the browser journeys drive Debian's Chromium
#   /usr/sbin/dovecot=dovecot-imapd   the mail poller's tests start a real IMAP server
set -euo pipefail
missing=()
for pair in "$@"; do
  [ -x "${pair%%=*}" ] || missing+=("${pair#*=}")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing Debian packages for the tests: install ${missing[*]} (apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} for the tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
