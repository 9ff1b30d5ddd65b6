package dev.podflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Separate Podflow processes and what they cost (CPU from /proc, resident memory). */
final class Procs {
  static final String MAIN_CLASS = "dev.podflow.launcher.Podflow";
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  /** CPU seconds (user + system) and resident memory of one process. */
  record Usage(String name, double cpuSeconds, long rssBytes) {}

  private Procs() {}

  /** CPU seconds used so far by {@code pid}, or NaN when /proc does not tell. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Resident set size of {@code pid} in bytes, or -1. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or gone
    }
    return -1;
  }

  /** CPU seconds of every PostgreSQL server process on this machine (backends and helpers). */
  static double postgresCpuSeconds() {
    double total = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) continue;
        try {
          String comm = Files.readString(p.resolve("comm")).strip();
          if (comm.equals("postgres") || comm.equals("postmaster")) {
            double cpu = cpuSeconds(Long.parseLong(name));
            if (!Double.isNaN(cpu)) total += cpu;
          }
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return total;
  }

  /** Podflow processes ({@code ./podflow pod} or {@code api}) run with this JVM's class path. */
  static final class Fleet implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    static Fleet pods(
        String databaseUrl, int count, Path logDir, String prefix, Map<String, String> extraEnv)
        throws IOException {
      Fleet fleet = new Fleet();
      try {
        for (int i = 0; i < count; i++) {
          Map<String, String> env = new HashMap<>(extraEnv);
          env.put("DATABASE_URL", databaseUrl);
          env.putIfAbsent("PODFLOW_POD_SLOTS", "1");
          env.put("PODFLOW_METRICS_PORT", "0");
          env.put("PODFLOW_POD_ID", prefix + "-" + i);
          fleet.start(prefix + "-" + i, "pod", env, logDir);
        }
      } catch (IOException | RuntimeException e) {
        fleet.close();
        throw e;
      }
      return fleet;
    }

    void start(String name, String command, Map<String, String> env, Path logDir)
        throws IOException {
      Files.createDirectories(logDir);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, command));
      ProcessBuilder builder = new ProcessBuilder(cmd);
      builder.environment().putAll(env);
      builder.redirectErrorStream(true).redirectOutput(logDir.resolve(name + ".log").toFile());
      processes.add(builder.start());
      names.add(name);
    }

    List<Process> processes() {
      return processes;
    }

    /** CPU and memory of every process now. */
    List<Usage> usage() {
      List<Usage> out = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        long pid = processes.get(i).pid();
        out.add(new Usage(names.get(i), cpuSeconds(pid), rssBytes(pid)));
      }
      return out;
    }

    /** SIGTERM, then SIGKILL whatever has not exited after 30 s. */
    @Override
    public void close() {
      for (Process p : processes) p.destroy();
      for (Process p : processes) {
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
    }
  }
}
