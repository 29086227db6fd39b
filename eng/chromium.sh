#!/usr/bin/env bash
# Installs Debian's Chromium for the samples' browser tests (tests/EntraSync.Samples.Tests), which drive it with
# Microsoft.Playwright through ExecutablePath=/usr/bin/chromium. Idempotent and quiet: does nothing when it is there.
# Playwright's own browser download (`playwright install`) is never used.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ] && [ -d /usr/share/fonts/truetype/liberation ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "eng/chromium.sh: $CHROMIUM is missing; run this script as root (it calls apt-get install chromium)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists once, only when apt does not know the package yet (a fresh machine has empty lists).
if ! apt-cache show chromium >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
fi
# fonts-liberation: without any font, pages render as boxes in screenshots.
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "eng/chromium.sh: apt-get installed chromium but $CHROMIUM is not there." >&2
  exit 1
fi
echo "eng/chromium.sh: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
