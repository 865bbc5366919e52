#!/usr/bin/env bash
# Browser test tooling, from package registries only (no browser download by a test tool):
#   - Debian's Chromium (/usr/bin/chromium), installed with apt-get when missing;
#   - axe-core (accessibility engine) from the npm registry, pinned, into var/browser-tools/
#     (git-ignored), read by tests/e2e as a file: nothing is fetched at test time.
# Python's playwright (pinned in pyproject's dev dependencies) drives that Chromium; its wheel
# ships the driver. `playwright install` is never run.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"
TOOLS_DIR="var/browser-tools"

if [ -x /usr/bin/chromium ]; then
  echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
else
  if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
  else
    SUDO=
  fi
  echo "chromium: installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  /usr/bin/chromium --version
fi

AXE_FILE="$TOOLS_DIR/node_modules/axe-core/axe.min.js"
if [ -f "$AXE_FILE" ] && grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$TOOLS_DIR/node_modules/axe-core/package.json"; then
  echo "axe-core: $AXE_CORE_VERSION already in $TOOLS_DIR"
else
  if ! command -v npm >/dev/null 2>&1; then
    echo "axe-core: npm is required (apt-get install npm)" >&2
    exit 1
  fi
  echo "axe-core: installing $AXE_CORE_VERSION from the npm registry into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --no-audit --no-fund --no-save --ignore-scripts --prefix "$TOOLS_DIR" "axe-core@$AXE_CORE_VERSION"
  test -f "$AXE_FILE"
fi
echo "browser tools ready"
