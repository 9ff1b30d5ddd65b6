#!/usr/bin/env bash
# Installs the Debian packages the test suite runs for real: Prometheus and promtool (the
# dashboard's queries, the alert rules), PgBouncer (pods and the API through a pooler) and
# Chromium (/usr/bin/chromium, the headless browser the console's end-to-end test drives with
# playwright-core; no browser is ever downloaded). The tests start their own instances; the
# packages' system services are stopped and left disabled, so nothing listens on the default
# ports. Idempotent: installs only what is missing.
set -euo pipefail

log() { echo "[install-debian-tools] $*"; }

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  log "prometheus, promtool, pgbouncer and chromium are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "[install-debian-tools] missing ${missing[*]}, and installing needs root: run 'sudo $0'" >&2
  exit 1
fi
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
log "installing $packages"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the packages' services are not started on install (no systemd here anyway).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
for service in prometheus pgbouncer; do
  if command -v service >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
log "installed: $(prometheus --version 2>&1 | head -1); $(/usr/sbin/pgbouncer --version 2>&1 | head -1); $(/usr/bin/chromium --version 2>/dev/null | head -1)"
