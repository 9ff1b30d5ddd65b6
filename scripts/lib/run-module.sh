# Runs a module's main class the way chaos/run.sh and bench/run.sh do: finds a JDK >= 21 like
# ./podflow, builds the module (and what it needs) when its sources changed, then runs the class
# with the module's runtime class path (target/podflow-<module>.jar and target/lib/*), from the
# repository root.
#   podflow_run_module <module> <main class> "<extra JVM options>" [arguments …]
# shellcheck source=find-java.sh
. "$(dirname "${BASH_SOURCE[0]}")/find-java.sh"
# shellcheck source=needs-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/needs-build.sh"

podflow_run_module() {
  local module=$1 main=$2 jvm_opts=$3
  shift 3
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cd "$root"
  podflow_setup_java
  local jar="$root/$module/target/podflow-$module.jar"
  if podflow_needs_build "$jar"; then
    echo "$module: building (first run, or sources changed) ..." >&2
    "$root/mvnw" -q -B -DskipTests -pl "$module" -am package -Dstyle.color=never >&2
  fi
  # shellcheck disable=SC2086 # the options are words on purpose
  exec "$JAVA_HOME/bin/java" $jvm_opts -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
}
