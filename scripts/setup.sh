#!/usr/bin/env sh
# Install what briefing needs on a fresh Debian/Ubuntu machine, then the package.
#   sh scripts/setup.sh          system libraries + briefing
#   sh scripts/setup.sh --test   the same plus the test tools
# System libraries (WeasyPrint's Pango and HarfBuzz, fonts, poppler for the
# tests) come from apt, only when missing; apt runs as root or through sudo.
set -eu
cd "$(dirname "$0")/.."

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core"
if [ "${1:-}" = "--test" ]; then
    # poppler-utils for reading PDFs; Chromium for the accessibility tests in a real browser.
    packages="$packages poppler-utils chromium"
fi

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for package in $packages; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        case "$status" in
            *"ok installed"*) ;;
            *) missing="$missing $package" ;;
        esac
    done
fi
if [ -n "$missing" ]; then
    echo "Installing system packages:$missing"
    sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python=${PYTHON:-python3}
if [ "${1:-}" = "--test" ]; then
    "$python" -m pip install --quiet --disable-pip-version-check ".[test]"
    # axe-core for the accessibility tests (from package-lock.json); they skip, saying so, without it.
    if command -v npm >/dev/null 2>&1; then
        npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null \
            || echo "npm ci failed: the browser accessibility tests will be skipped"
    else
        echo "npm not found: the browser accessibility tests will be skipped"
    fi
else
    "$python" -m pip install --quiet --disable-pip-version-check .
fi
