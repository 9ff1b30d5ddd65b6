#!/usr/bin/env bash
# The whole test suite against a real PostgreSQL with pgvector:
#   TEST_DATABASE_URL if set; else the machine's PostgreSQL on 127.0.0.1:5432 (started if it is
#   stopped, pgvector built and installed if missing); else Testcontainers when Docker runs.
# The npm tools the MCP tests start (scripts/install-npm-tools.sh) and the Debian packages the
# operations tests run (scripts/install-debian-tools.sh) are installed first.
# Extra arguments go to Maven, e.g. ./podflow test -pl agent-pod
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. "$ROOT/scripts/lib/find-java.sh"
podflow_setup_java
echo "[test] JDK: $JAVA_HOME"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "[test] PostgreSQL: TEST_DATABASE_URL"
elif command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
  read -r version cluster _ status _ < <(pg_lsclusters -h | head -1)
  if [ "$status" != "online" ] && [ "$(id -u)" = 0 ]; then
    echo "[test] starting PostgreSQL $version/$cluster"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || pg_ctlcluster "$version" "$cluster" start
  fi
  "$ROOT/scripts/install-pgvector.sh"
  echo "[test] PostgreSQL: the machine's cluster $version/$cluster on 127.0.0.1:5432"
else
  echo "[test] no TEST_DATABASE_URL and no local PostgreSQL cluster: the tests will use Testcontainers (needs Docker)"
fi

# Real MCP servers for the mcp module's tests, and playwright-core with axe-core for the console's
# browser test, pinned in scripts/npm/package-lock.json.
"$ROOT/scripts/install-npm-tools.sh"
# Prometheus, promtool and PgBouncer, which the operations tests start themselves, and Chromium,
# the headless browser of the console's end-to-end test (ConsoleBrowserTest).
"$ROOT/scripts/install-debian-tools.sh"

exec "$ROOT/mvnw" -B -Dstyle.color=never verify "$@"
