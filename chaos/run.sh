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
# shellcheck source=../scripts/lib/run-module.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/run-module.sh"
podflow_run_module chaos dev.podflow.chaos.ChaosHarness "${CHAOS_JAVA_OPTS:-}" "$@"
