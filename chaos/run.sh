#!/usr/bin/env bash
# The chaos harness: pod processes against one PostgreSQL under a steady stream of processes while
# pods are SIGKILLed, backends terminated and PostgreSQL restarted; then it verifies from the
# database that nothing was lost and nothing done twice. Exit 0 = PASS, 1 = FAIL, 2 = bad options.
#
#   chaos/run.sh --pods 4 --duration 10m          # the long form (embedded PostgreSQL)
#   chaos/run.sh --help                           # every option
#
# Finds a JDK >= 21 like ./podflow, builds the chaos module (and what it needs) when sources
# changed, then runs dev.podflow.chaos.ChaosHarness with the module's runtime class path.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../scripts/lib/find-java.sh
. "$ROOT/scripts/lib/find-java.sh"
# shellcheck source=../scripts/lib/needs-build.sh
. "$ROOT/scripts/lib/needs-build.sh"
podflow_setup_java

JAR="$ROOT/chaos/target/podflow-chaos.jar"
if podflow_needs_build "$JAR"; then
  echo "chaos: building (first run, or sources changed) ..." >&2
  "$ROOT/mvnw" -q -B -DskipTests -pl chaos -am package -Dstyle.color=never >&2
fi
exec "$JAVA_HOME/bin/java" ${CHAOS_JAVA_OPTS:-} -cp "$JAR:$ROOT/chaos/target/lib/*" \
  dev.podflow.chaos.ChaosHarness "$@"
