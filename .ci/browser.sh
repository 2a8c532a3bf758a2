#!/usr/bin/env bash
# The browser tests (test/browser/) need Debian's Chromium: install it with apt when it is missing.
# Non-interactive and quiet; fails loudly when it cannot, so the browser tests never skip silently in CI.
set -euo pipefail
CHROMIUM="${MFA_AUDIT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "browser.sh: $CHROMIUM is still missing after apt-get install chromium" >&2
  exit 1
fi
"$CHROMIUM" --version
