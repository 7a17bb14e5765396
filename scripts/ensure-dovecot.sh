#!/usr/bin/env bash
# The mail poller's tests run a real IMAP server: Debian's dovecot, started by the tests with a
# throwaway config on a free loopback port. Install it when missing.
set -euo pipefail
if [ -x /usr/sbin/dovecot ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "dovecot is missing: install Debian's 'dovecot-imapd' package (apt-get install dovecot-imapd)." >&2
  exit 1
fi
echo "Installing Debian's dovecot-imapd for the mail tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
