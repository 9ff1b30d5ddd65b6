package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.EventStreamRequest;
import dev.podflow.api.auth.Principal;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code /api/v1/processes/{id}/events}: an instance's timeline as a JSON page, or, for clients
 * that accept {@code text/event-stream}, as a live SSE stream (see {@link EventStream}), which a
 * browser may open with a stream token ({@link dev.podflow.api.auth.Access#USER_STREAM}).
 */
final class EventRoutes {
  static final String EVENTS = ProcessRoutes.PROCESS + "/events";
  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 1000;

  private final Jdbi jdbi;
  private final EventStream stream;

  EventRoutes(Jdbi jdbi, EventStream stream) {
    this.jdbi = jdbi;
    this.stream = stream;
  }

  /** One event as clients see it, in the JSON page and as an SSE message's data. */
  record EventView(long id, String type, Long taskId, JsonNode payload, Instant createdAt) {
    static EventView of(Event event) {
      return new EventView(
          event.id(), event.type(), event.taskId(), event.payload(), event.createdAt());
    }
  }

  /** A page of events, oldest first; ask again with {@code after} = the last id for more. */
  record EventPage(List<EventView> events) {}

  void register(RoutesConfig routes) {
    routes.get(EVENTS, this::events, Access.USER_STREAM);
  }

  private void events(Context ctx) {
    UUID id = ProcessRoutes.processId(ctx);
    boolean live = EventStreamRequest.accepts(ctx.header("Accept"));
    long after =
        live ? resumeAfter(ctx) : QueryParams.id("after", "event", ctx.queryParam("after"));
    int limit =
        live ? DEFAULT_LIMIT : QueryParams.limit(ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
    Principal principal = AuthGuard.principal(ctx);
    jdbi.useHandle(h -> Visibility.instance(h, id, principal));
    if (live) {
      new SseHandler(client -> stream.follow(client, principal.tenantId(), id, after)).handle(ctx);
      return;
    }
    ctx.json(page(id, after, limit));
  }

  /**
   * Up to {@code limit} events of instance {@code id} after event {@code after}, oldest first, if
   * {@code principal} may see the instance.
   */
  EventPage page(UUID id, long after, int limit, Principal principal) {
    jdbi.useHandle(h -> Visibility.instance(h, id, principal));
    return page(id, after, limit);
  }

  private EventPage page(UUID id, long after, int limit) {
    List<Event> events =
        jdbi.withExtension(EventDao.class, dao -> dao.eventListByInstance(id, after, limit));
    return new EventPage(events.stream().map(EventView::of).toList());
  }

  /** A reconnecting EventSource names the last event it saw; {@code after} serves curl users. */
  private static long resumeAfter(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    return lastEventId != null && !lastEventId.isBlank()
        ? QueryParams.id("Last-Event-ID", "event", lastEventId)
        : QueryParams.id("after", "event", ctx.queryParam("after"));
  }
}
