package dev.podflow.a2a;

import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.a2a.DuePush;
import dev.podflow.store.a2a.PushConfigDao;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the push notifications callers of Podflow's A2A server asked for ({@code
 * a2a_push_configs}): every second it claims the webhooks whose process's A2A state differs from
 * the last one delivered and posts the task ({@link ProcessAsTask}) through the outbound guard,
 * with the caller's token in {@code X-A2A-Notification-Token}; a failed post is tried again after 2
 * s doubling to 5 min. One per pod ({@link PodServices#components}), closed with it. Thread-safe.
 */
public final class A2aPushSender implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int BATCH = 8;

  private static final Logger LOG = LoggerFactory.getLogger(A2aPushSender.class);

  private final Jdbi jdbi;
  private final A2aPeers peers;
  private final ScheduledExecutorService loop;

  private A2aPushSender(Jdbi jdbi, A2aPeers peers) {
    this.jdbi = jdbi;
    this.peers = peers;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("podflow-a2a-pushes").factory());
    loop.scheduleWithFixedDelay(
        this::runSafely, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The pod's sender, started on first use. */
  public static A2aPushSender forPod(PodServices pod) {
    A2aPeers peers = A2aPeers.forPod(pod);
    return pod.components().get(A2aPushSender.class, () -> new A2aPushSender(pod.jdbi(), peers));
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("[a2a] pushes failed: {}", e.toString());
    }
  }

  /** One pass; how many pushes were delivered. */
  int runOnce() {
    List<DuePush> due = jdbi.withExtension(PushConfigDao.class, dao -> dao.pushClaimDue(BATCH));
    int delivered = 0;
    for (DuePush push : due) {
      String state = ProcessAsTask.state(push.status(), push.waitingStep());
      String body =
          Json.write(
              ProcessAsTask.of(
                  push.procInstId(),
                  push.status(),
                  push.output(),
                  push.finishedAt(),
                  push.waitingStep()));
      Map<String, String> headers = new HashMap<>();
      if (push.token() != null) headers.put("X-A2A-Notification-Token", push.token());
      String error;
      try {
        int status = peers.post(push.url(), headers, body, TIMEOUT);
        if (status >= 200 && status < 300) {
          jdbi.useExtension(PushConfigDao.class, dao -> dao.pushDelivered(push.id(), state));
          delivered++;
          continue;
        }
        error = "the webhook answered " + status;
      } catch (TaskFailedException e) {
        error = e.getMessage();
      }
      int delay = (int) Math.min(300, 2L << Math.min(push.attempts(), 10));
      String why = error;
      jdbi.useExtension(PushConfigDao.class, dao -> dao.pushRetry(push.id(), why, delay));
      LOG.info("[a2a] push for task {} failed, again in {} s: {}", push.procInstId(), delay, why);
    }
    return delivered;
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
