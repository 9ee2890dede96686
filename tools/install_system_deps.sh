#!/usr/bin/env bash
# Install the Debian packages the tests and Chinese output need, when they are missing:
#   chromium        the browser the dashboard test drives (Playwright, executable_path)
#   fonts-noto-cjk  Noto Sans CJK SC, the font Chinese figures and the zh dashboard use
# Needs root (or sudo) and apt-get; otherwise exits 1 with one line saying what to install.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
  || fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
if ! command -v apt-get >/dev/null || { [ -n "$sudo" ] && ! sudo -n true 2>/dev/null; }; then
  echo "resettle's tests need the Debian packages ${missing[*]} (or chromium at /usr/bin/chromium and the Noto Sans CJK font): install them, or run 'make test' as root on Debian" >&2
  exit 1
fi
echo "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
