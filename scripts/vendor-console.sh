#!/usr/bin/env bash
# Refreshes the libraries the web console vendors (execution-api/src/main/resources/console/vendor),
# from the npm registry at the versions pinned here, with their licenses. Their files are committed:
# neither the Maven build nor ./podflow demo ever needs Node. Run it after changing a version.
set -euo pipefail

JSON_EDITOR_VERSION=2.17.2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/execution-api/src/main/resources/console/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v npm >/dev/null 2>&1; then
  echo "[vendor-console] npm is needed to download the packages: install Node 20 or newer" >&2
  exit 1
fi
(cd "$work" && npm pack --silent "@json-editor/json-editor@$JSON_EDITOR_VERSION" >/dev/null)
tar -xzf "$work"/json-editor-json-editor-"$JSON_EDITOR_VERSION".tgz -C "$work"
mkdir -p "$vendor"
cp "$work/package/dist/jsoneditor.js" "$vendor/jsoneditor.js"
cp "$work/package/dist/jsoneditor.js.LICENSE.txt" "$vendor/jsoneditor.js.LICENSE.txt"
cp "$work/package/LICENSE" "$vendor/json-editor.LICENSE"
cat > "$vendor/README.md" <<README
# Vendored libraries of the web console

| File | Package | Version | License |
|---|---|---|---|
| jsoneditor.js | [@json-editor/json-editor](https://www.npmjs.com/package/@json-editor/json-editor) (dist/jsoneditor.js) | $JSON_EDITOR_VERSION | MIT (json-editor.LICENSE; bundled notices in jsoneditor.js.LICENSE.txt) |

Refreshed by \`scripts/vendor-console.sh\`; do not edit these files by hand.
README
echo "[vendor-console] json-editor $JSON_EDITOR_VERSION in $vendor"
