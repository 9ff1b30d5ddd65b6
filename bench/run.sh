#!/usr/bin/env bash
# The benchmark harness: queue drain against the raw-SQL limit (pgbench) and the peers
# (db-scheduler, JobRunr), pick-up latency over HTTP, end to end, the claim at table scale; all on
# one PostgreSQL. Prints the table and writes bench/results/<timestamp>.md and .csv.
#
#   ./podflow bench                 # the full run (BENCH_DATABASE_URL or the local server)
#   ./podflow bench --help          # every option
#
# Finds a JDK >= 21 like ./podflow, builds the bench module (and what it needs) when sources
# changed, then runs dev.podflow.bench.Bench with the module's runtime class path. Needs pgbench
# (PostgreSQL client tools) for the raw-SQL limit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../scripts/lib/find-java.sh
. "$ROOT/scripts/lib/find-java.sh"
# shellcheck source=../scripts/lib/needs-build.sh
. "$ROOT/scripts/lib/needs-build.sh"
podflow_setup_java

JAR="$ROOT/bench/target/podflow-bench.jar"
if podflow_needs_build "$JAR"; then
  echo "bench: building (first run, or sources changed) ..." >&2
  "$ROOT/mvnw" -q -B -DskipTests -pl bench -am package -Dstyle.color=never >&2
fi
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$JAR:$ROOT/bench/target/lib/*" \
  dev.podflow.bench.Bench "$@"
