package dev.podflow.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Pod processes started exactly as {@code ./podflow pod} starts one: {@code java -cp <class path>
 * dev.podflow.launcher.Podflow pod} with {@code DATABASE_URL} and {@code PODFLOW_*} in the
 * environment, each logging to its own file. Also their supervisor: a pod that exits on its own is
 * reported and replaced, as Kubernetes would, and too many such exits abort the run.
 */
final class PodFleet implements AutoCloseable {
  static final String MAIN_CLASS = "dev.podflow.launcher.Podflow";
  private static final int MAX_UNEXPECTED_EXITS = 25;

  /** One pod process. */
  record Pod(String id, Process process, Path log, long startedNanos) {}

  /** How a pod that was not killed by the harness ended. */
  record Exit(String podId, int exitCode, Path log) {}

  private final List<String> command;
  private final Map<String, String> env;
  private final Path logDir;
  private final Consumer<String> say;
  private final Map<String, Pod> live = new LinkedHashMap<>();
  private final List<Exit> unexpectedExits = new ArrayList<>();
  private final List<String> everStarted = new ArrayList<>();
  private final ScheduledExecutorService supervisor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("chaos-supervisor").factory());
  private int sequence;
  private int kills;

  PodFleet(
      String databaseUrl,
      int slots,
      List<String> javaOptions,
      String classPath,
      Path logDir,
      Consumer<String> say) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-cp", classPath, MAIN_CLASS, "pod"));
    this.command = List.copyOf(cmd);
    this.env =
        Map.of(
            "DATABASE_URL", databaseUrl,
            "PODFLOW_POD_SLOTS", Integer.toString(slots),
            "PODFLOW_METRICS_PORT", "0",
            "PODFLOW_LEASE_SECONDS", "3",
            "PODFLOW_RESCUE_SECONDS", "1",
            "PODFLOW_POLL_MS", "500");
    this.logDir = logDir;
    this.say = say;
  }

  /** Starts a pod with the next id, {@code chaos-pod-N}. */
  synchronized Pod startOne() {
    String id = "chaos-pod-" + (++sequence);
    Path log = logDir.resolve(id + ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("PODFLOW_POD_ID", id);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      Pod pod = new Pod(id, builder.start(), log, System.nanoTime());
      live.put(id, pod);
      everStarted.add(id);
      return pod;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pod process " + id + ": " + e.getMessage(), e);
    }
  }

  /** SIGKILLs a random pod (no shutdown hook runs), then starts a replacement with a new id. */
  synchronized String killRandomAndReplace(Random random) throws InterruptedException {
    if (live.isEmpty()) return "no pod to kill";
    List<Pod> pods = new ArrayList<>(live.values());
    Pod victim = pods.get(random.nextInt(pods.size()));
    victim.process().destroyForcibly(); // SIGKILL on Linux and macOS
    victim.process().waitFor(10, TimeUnit.SECONDS);
    live.remove(victim.id());
    kills++;
    Pod replacement = startOne();
    return "SIGKILLed " + victim.id() + ", started " + replacement.id();
  }

  /** Replaces pods that exited without being told to; returns how many. */
  synchronized int superviseOnce() {
    List<Pod> ended = live.values().stream().filter(p -> !p.process().isAlive()).toList();
    for (Pod pod : ended) {
      live.remove(pod.id());
      Exit exit = new Exit(pod.id(), pod.process().exitValue(), pod.log());
      unexpectedExits.add(exit);
      Pod replacement = startOne();
      say.accept(
          "pod "
              + pod.id()
              + " exited on its own with code "
              + exit.exitCode()
              + " (log: "
              + pod.log()
              + "; last line: "
              + lastLine(pod.log())
              + "); started "
              + replacement.id());
    }
    return ended.size();
  }

  /**
   * Waits until every live pod has logged that it started; a pod that exits meanwhile fails the
   * run. After {@code timeout} it only says so and goes on.
   */
  void awaitStarted(Duration timeout) throws InterruptedException, IOException {
    long giveUp = System.nanoTime() + timeout.toNanos();
    List<String> ids = liveIds();
    while (System.nanoTime() < giveUp) {
      List<String> waiting = new ArrayList<>();
      for (String id : ids) {
        Path log = logDir.resolve(id + ".log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        // AgentPod logs "[pod …] started: …", the launcher then "pod … serving /healthz …"
        if (!text.contains("] started:") && !text.contains("serving /healthz")) waiting.add(id);
      }
      if (waiting.isEmpty()) {
        say.accept(ids.size() + " pods started");
        return;
      }
      if (liveIds().size() < ids.size() || superviseOnce() > 0) {
        throw new IllegalStateException(
            "a pod exited during start-up: see " + logDir + " (" + waiting + ")");
      }
      Thread.sleep(200);
    }
    say.accept("pods not all started after " + timeout.toSeconds() + "s; going on");
  }

  /**
   * Supervises the fleet every second until {@link #stopSupervising()}; more than {@value
   * #MAX_UNEXPECTED_EXITS} pods that exited on their own {@code abort} the run.
   */
  void startSupervising(Consumer<String> abort) {
    supervisor.scheduleWithFixedDelay(
        () -> {
          try {
            superviseOnce();
            if (unexpectedExits().size() > MAX_UNEXPECTED_EXITS) {
              abort.accept("more than " + MAX_UNEXPECTED_EXITS + " pods exited on their own");
            }
          } catch (RuntimeException e) {
            say.accept("supervisor: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /** Stops the supervision and waits for a round in progress (up to 30 s). */
  void stopSupervising() throws InterruptedException {
    supervisor.shutdownNow();
    supervisor.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** SIGTERMs every pod and waits for them; returns each pod's exit code (-1: had to SIGKILL). */
  synchronized Map<String, Integer> stopAll(long timeoutSeconds) throws InterruptedException {
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (Pod pod : live.values()) pod.process().destroy(); // SIGTERM
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (Pod pod : live.values()) {
      long left = Math.max(1, deadline - System.nanoTime());
      if (pod.process().waitFor(left, TimeUnit.NANOSECONDS)) {
        codes.put(pod.id(), pod.process().exitValue());
      } else {
        pod.process().destroyForcibly();
        pod.process().waitFor(10, TimeUnit.SECONDS);
        codes.put(pod.id(), -1);
      }
    }
    live.clear();
    return codes;
  }

  synchronized List<String> liveIds() {
    return List.copyOf(live.keySet());
  }

  synchronized List<String> everStarted() {
    return List.copyOf(everStarted);
  }

  synchronized int kills() {
    return kills;
  }

  synchronized List<Exit> unexpectedExits() {
    return List.copyOf(unexpectedExits);
  }

  @Override
  public synchronized void close() {
    for (Pod pod : live.values()) pod.process().destroyForcibly();
    for (Pod pod : live.values()) {
      try {
        pod.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    live.clear();
  }

  static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) return lines.get(i).strip();
      }
      return "(empty)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
