package dev.podflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a run measured, for the head of its results. */
final class Machine {
  private Machine() {}

  /** Cores, CPU model, memory, Java and OS, from {@code /proc} where there is one. */
  static String describe() {
    String cpu = "?";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse("?");
    } catch (IOException e) {
      // not Linux
    }
    long mem = Runtime.getRuntime().maxMemory();
    try {
      mem =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
                  .filter(l -> l.startsWith("MemTotal"))
                  .findFirst()
                  .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                  .orElse(0L)
              * 1024;
    } catch (IOException | RuntimeException e) {
      // keep the JVM's figure
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB, Java %s, %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        mem / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }
}
