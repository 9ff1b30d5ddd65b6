package dev.podflow.api;

import dev.podflow.store.Json;
import dev.podflow.store.access.TenantScope;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Follows one instance's timeline over SSE: sends the events after the client's last one, then each
 * new batch as the {@link EventFeed} signals it (or the fallback poll comes round), and ends the
 * stream once the instance has finished and every event up to that point was sent.
 *
 * <p>Each message carries the event id as {@code id:}, its type as {@code event:} and the event
 * JSON as {@code data:}, so an EventSource resumes with {@code Last-Event-ID}. Runs on the
 * request's async thread and blocks it for the stream's life. Thread-safe.
 */
final class EventStream {
  static final int PAGE_SIZE = 500;
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** A comment this often finds clients that went away without closing the connection. */
  static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final Jdbi jdbi;
  private final EventFeed feed;
  private final Object openLock = new Object();
  private int open;

  EventStream(Jdbi jdbi, EventFeed feed) {
    this.jdbi = jdbi;
    this.feed = feed;
  }

  /**
   * Streams the events of {@code procInstId}, of {@code tenantId}, to {@code client}. Javalin runs
   * the stream on a thread of its own, which the request's tenant binding does not reach: the
   * tenant is bound here, for every read of the stream.
   */
  void follow(SseClient client, String tenantId, UUID procInstId, long afterId) {
    synchronized (openLock) {
      open++;
    }
    try {
      TenantScope.call(
          tenantId,
          () -> {
            stream(client, procInstId, afterId);
            return null;
          });
    } finally {
      synchronized (openLock) {
        open--;
        openLock.notifyAll();
      }
    }
  }

  /** Waits until every stream has ended (after the feed closed) or {@code max} passed. */
  boolean awaitAllEnded(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (openLock) {
      while (open > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(openLock, left);
      }
      return true;
    }
  }

  private void stream(SseClient client, UUID procInstId, long afterId) {
    MDC.put("proc_inst_id", procInstId.toString());
    LOG.debug("execution-api - event stream opened after event {}", afterId);
    int sent = 0;
    try (EventFeed.Subscription subscription = feed.subscribe(procInstId, afterId)) {
      long lastId = afterId;
      long lastWrite = System.nanoTime();
      while (!client.terminated() && !feed.isClosed()) {
        // The status is read before the events: the transaction that finishes an instance also
        // writes its last events, so once a finished status is seen those events are visible.
        boolean finished = isFinished(procInstId);
        List<Event> batch;
        do {
          batch = page(procInstId, lastId);
          for (Event event : batch) {
            client.sendEvent(
                event.type(),
                Json.write(EventRoutes.EventView.of(event)),
                Long.toString(event.id()));
            lastId = event.id();
            sent++;
          }
          if (!batch.isEmpty()) lastWrite = System.nanoTime();
        } while (batch.size() == PAGE_SIZE && !client.terminated());
        subscription.seen(lastId);
        if (finished) break;
        if (System.nanoTime() - lastWrite > KEEP_ALIVE_INTERVAL.toNanos()) {
          client.sendComment("keep-alive");
          lastWrite = System.nanoTime();
        }
        subscription.await(POLL_INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The client reconnects with Last-Event-ID and resumes where this stream stopped.
      LOG.warn("execution-api - event stream of {} stopped: {}", procInstId, e.toString());
    } finally {
      LOG.debug("execution-api - event stream closed after {} events", sent);
      MDC.remove("proc_inst_id");
    }
  }

  private boolean isFinished(UUID procInstId) {
    return jdbi.withExtension(InstanceDao.class, dao -> dao.instanceGet(procInstId))
        .map(ProcessInstance::status)
        .map(InstanceStatus::isFinished)
        .orElse(true);
  }

  private List<Event> page(UUID procInstId, long afterId) {
    return jdbi.withExtension(
        EventDao.class, dao -> dao.eventListByInstance(procInstId, afterId, PAGE_SIZE));
  }
}
