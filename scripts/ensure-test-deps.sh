#!/usr/bin/env bash
# Make sure the system programs Lantern's full test suite drives are installed:
# Debian's chromium (browser tests, through Playwright) and postgresql (the
# integration tests start a throwaway server). Installs them with apt-get when
# missing; does nothing when they are already there. Also builds the web assets.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-deps: please install ${missing[*]} (no apt-get on this machine)" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "ensure-test-deps: installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

"$root/scripts/build-assets.sh"
