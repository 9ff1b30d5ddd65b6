#!/usr/bin/env bash
# Measures the claim statement against a todolist that carries a long history and a backlog of
# future work, using pgbench and the very SQL files the pods run (store/.../TaskDao/*.sql).
#
#   bench/claim-at-scale.sh [--finished 2000000] [--future 100000] [--due 300000] [--clients 4] [--seconds 15]
#
# Needs PostgreSQL client tools (psql, pgbench) and BENCH_DATABASE_URL, a postgres:// URL of a
# server where it may create and drop the database podflow_bench_scale (default: the local
# server, postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
finished=2000000 future=100000 due=300000 clients=4 seconds=15
while [ $# -gt 0 ]; do
  case "$1" in
    --finished) finished=$2; shift 2 ;;
    --future) future=$2; shift 2 ;;
    --due) due=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
server=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db_url=$(echo "$server" | sed -E 's#/[^/?]*(\?|$)#/podflow_bench_scale\1#')
sql_dir="$ROOT/store/src/main/resources/dev/podflow/store/task/TaskDao"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -q "$server" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS podflow_bench_scale WITH (FORCE)" -c "CREATE DATABASE podflow_bench_scale"
DATABASE_URL="$db_url" "$ROOT/podflow" migrate >/dev/null

# A pgbench transaction = what a pod does per task: claim (the statement measured), then complete.
{
  echo '\set leaseSeconds 30'
  cat "$sql_dir/taskClaimNext.sql"; echo ' \gset'
  echo "SELECT quote_literal(claim_token) AS token FROM todolist WHERE id = :id \gset"
  sed -e 's/:claimToken/:token/' -e "s/:output/'{}'::jsonb/" "$sql_dir/taskComplete.sql"; echo ';'
} > "$work/cycle.sql"

seed() { # $1 = rows, $2 = status, $3 = run_after expression
  psql -q "$db_url" -c "
    INSERT INTO proc_def VALUES ('bench', 1, 'bench', '{}') ON CONFLICT DO NOTHING;
    INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version) VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 1) ON CONFLICT DO NOTHING;
    INSERT INTO todolist (proc_inst_id, activity_id, orchestrator, status, run_after, attempts, finished_at)
    SELECT '00000000-0000-0000-0000-000000000001', 'a', 'noop', '$2', $3,
           CASE WHEN '$2' = 'DONE' THEN 1 ELSE 0 END, CASE WHEN '$2' = 'DONE' THEN now() END
    FROM generate_series(1, $1);"
  psql -q "$db_url" -c "VACUUM ANALYZE todolist"
}

measure() { # $1 = label
  local out
  out=$(pgbench -n -r -c "$clients" -j "$clients" -T "$seconds" -D podId="'bench'" -f "$work/cycle.sql" "$db_url" 2>&1)
  local tps claim
  tps=$(echo "$out" | sed -n -E 's/^tps = ([0-9.]+).*/\1/p')
  claim=$(echo "$out" | awk '/UPDATE todolist/ && !done { print $1; done=1 }')
  printf '| %s | %s | %s |\n' "$1" "$claim" "$tps"
}

echo "| todolist holds | claim statement, mean ms | claim+complete per s ($clients clients) |"
echo "|---|---|---|"
seed "$due" PENDING "now()"
measure "$due due rows only"
seed "$finished" DONE "now() - interval '1 day'"
measure "+ $finished finished rows"
seed "$future" PENDING "now() + interval '1 day'"
measure "+ $future rows scheduled for tomorrow"
psql -q "$server" -c "DROP DATABASE podflow_bench_scale WITH (FORCE)"
