# Sourced by ./podflow and chaos/run.sh: podflow_needs_build JAR is true when JAR is missing or
# older than any pom.xml or main source file of the project.
podflow_needs_build() {
  local jar=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]
}
