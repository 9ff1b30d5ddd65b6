#!/usr/bin/env bash
# Installs the npm tools the tests run (real MCP servers, the MCP inspector CLI, the A2A SDK that
# scripts/npm/a2a-peer.mjs is built on, playwright-core and axe-core for the console's browser
# test scripts/npm/console-e2e.mjs) into
# scripts/npm/node_modules, exactly as pinned by scripts/npm/package-lock.json (npm ci).
# Idempotent: does nothing when node_modules already holds that lock file's install.
# No browser is downloaded: playwright-core has no install script, and the browser test drives
# Debian's /usr/bin/chromium (scripts/install-debian-tools.sh); the variable below says so to any
# Playwright package all the same.
set -euo pipefail
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { echo "[install-npm-tools] $*"; }

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/npm"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "[install-npm-tools] node and npm are needed (Node 20 or newer): install them, e.g. apt-get install nodejs npm" >&2
  exit 1
fi

# npm ci writes node_modules/.package-lock.json; the stamp remembers which lock file it came from.
stamp="$dir/node_modules/.podflow-lock.sha256"
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && [ -x "$dir/node_modules/.bin/mcp-server-everything" ] \
    && [ -x "$dir/node_modules/.bin/mcp-server-memory" ] \
    && [ -x "$dir/node_modules/.bin/mcp-inspector-cli" ] \
    && [ -f "$dir/node_modules/@a2a-js/sdk/package.json" ] \
    && [ -f "$dir/node_modules/playwright-core/package.json" ] \
    && [ -f "$dir/node_modules/axe-core/axe.min.js" ]; then
  log "already installed in $dir/node_modules"
  exit 0
fi

log "installing $dir/package-lock.json into $dir/node_modules"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
log "installed: $(cd "$dir" && ls node_modules/.bin | tr '\n' ' ')"
