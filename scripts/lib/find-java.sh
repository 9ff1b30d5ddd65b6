# Sourced by ./podflow and scripts/test.sh: podflow_setup_java sets JAVA_HOME to a JDK 21 or newer.
# Looks at JAVA_HOME, then the java on PATH, then /usr/lib/jvm; says what to install if none fits.

podflow_java_major() { # prints the major version of the java binary $1, or nothing
  # Not only the first line: with JAVA_TOOL_OPTIONS set, the JVM says "Picked up ..." first.
  "$1" -version 2>&1 | sed -n -E 's/.* version "([0-9]+)(\.[0-9]+)*.*".*/\1/p' | head -1
}

podflow_jdk_ok() { # $1 = a JDK home; true when it has javac and java >= 21
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major=$(podflow_java_major "$1/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

podflow_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && podflow_jdk_ok "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  local candidate
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if podflow_jdk_ok "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  local best="" best_major=0 major
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    podflow_jdk_ok "$candidate" || continue
    major=$(podflow_java_major "$candidate/bin/java")
    if [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  echo "podflow: no JDK 21 or newer found (looked at JAVA_HOME, the javac on PATH and /usr/lib/jvm)." >&2
  echo "podflow: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME to it." >&2
  return 1
}

podflow_setup_java() {
  podflow_find_java || return 1
  # Maven's own libraries still call sun.misc.Unsafe; JDK 24+ warns about it at every build.
  if [ "$(podflow_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
