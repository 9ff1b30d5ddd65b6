#!/usr/bin/env bash
# The benchmark harness: queue drain against the raw-SQL limit (pgbench) and the peers
# (db-scheduler, JobRunr), pick-up latency over HTTP, end to end, the claim at table scale, memory
# recall and embedding; all on one PostgreSQL. Prints the table and writes
# bench/results/<timestamp>.md and .csv.
#
#   ./podflow bench                 # the full run (BENCH_DATABASE_URL or the local server)
#   ./podflow bench --help          # every option
#
# Finds a JDK >= 21 like ./podflow, builds the bench module (and what it needs) when sources
# changed, then runs dev.podflow.bench.Bench with the module's runtime class path. Needs pgbench
# (PostgreSQL client tools) for the raw-SQL limit.
set -euo pipefail
# shellcheck source=../scripts/lib/run-module.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/run-module.sh"
podflow_run_module bench dev.podflow.bench.Bench "${BENCH_JAVA_OPTS:-}" "$@"
