package dev.podflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Starts processes through the execution API, at a steady rate or as fast as it answers. */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  private final URI processes;
  final AtomicLong failed = new AtomicLong();

  /** Why the first start that failed failed: an HTTP status or an exception. */
  final AtomicReference<String> firstFailure = new AtomicReference<>();

  /** Sent as the bearer credential of every start. */
  private final String apiKey;

  Http(int port, String apiKey) {
    this.processes = URI.create("http://127.0.0.1:" + port + "/api/v1/processes");
    this.apiKey = apiKey;
  }

  private HttpRequest start(String definitionId) {
    return HttpRequest.newBuilder(processes)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + apiKey)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"definitionId\":\"" + definitionId + "\",\"input\":{}}"))
        .build();
  }

  /**
   * Starts {@code rate} processes per second for {@code seconds}; returns how many answered 201.
   */
  long steady(String definitionId, int rate, int seconds) throws InterruptedException {
    AtomicLong created = new AtomicLong();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long total = (long) rate * seconds;
    long begin = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = begin + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      inFlight.add(
          client
              .sendAsync(start(definitionId), HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    if (e == null && r.statusCode() == 201) created.incrementAndGet();
                    // the future fails with a CompletionException around the cause, when wrapped
                    else failed(e == null || e.getCause() == null ? e : e.getCause(), r);
                  }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .join();
    return created.get();
  }

  /** Starts {@code count} processes with {@code clients} concurrent callers; returns how many. */
  long asFastAsAnswered(String definitionId, int count, int clients) throws InterruptedException {
    AtomicLong created = new AtomicLong();
    AtomicLong next = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (next.getAndIncrement() < count) {
                      try {
                        HttpResponse<Void> r =
                            client.send(
                                start(definitionId), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 201) created.incrementAndGet();
                        else failed(null, r);
                      } catch (Exception e) {
                        failed(e, null);
                      }
                    }
                  }));
    }
    for (Thread t : threads) t.join();
    return created.get();
  }

  private void failed(Throwable error, HttpResponse<?> response) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(
        null, error != null ? String.valueOf(error) : "HTTP " + response.statusCode());
  }

  /** Waits until GET {@code path} answers 200. */
  static void awaitReady(int port, Duration patience) throws InterruptedException {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            c.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (java.io.IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the API on port " + port + " did not become ready");
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
