package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.transition.ProcessNotFoundException;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code /api/v1/processes/{id}/events}: an instance's timeline as a JSON page, or, for clients
 * that accept {@code text/event-stream}, as a live SSE stream (see {@link EventStream}).
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
    routes.get(EVENTS, this::events);
  }

  private void events(Context ctx) {
    UUID id = ProcessRoutes.processId(ctx);
    boolean live = acceptsEventStream(ctx.header("Accept"));
    long after = live ? resumeAfter(ctx) : eventId("after", ctx.queryParam("after"));
    int limit = live ? DEFAULT_LIMIT : limit(ctx.queryParam("limit"));
    if (jdbi.withExtension(InstanceDao.class, dao -> dao.instanceGet(id)).isEmpty()) {
      throw new ProcessNotFoundException(id);
    }
    if (live) {
      new SseHandler(client -> stream.follow(client, id, after)).handle(ctx);
      return;
    }
    List<Event> events =
        jdbi.withExtension(EventDao.class, dao -> dao.eventListByInstance(id, after, limit));
    ctx.json(new EventPage(events.stream().map(EventView::of).toList()));
  }

  private static boolean acceptsEventStream(String accept) {
    return accept != null
        && accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
  }

  /** A reconnecting EventSource names the last event it saw; {@code after} serves curl users. */
  private static long resumeAfter(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    return lastEventId != null && !lastEventId.isBlank()
        ? eventId("Last-Event-ID", lastEventId)
        : eventId("after", ctx.queryParam("after"));
  }

  private static long eventId(String name, String raw) {
    if (raw == null) return 0;
    try {
      long id = Long.parseLong(raw.trim());
      if (id >= 0) return id;
    } catch (NumberFormatException e) {
      // answered below, like any other bad value
    }
    throw new InvalidRequestException(
        name + " must be an event id (a whole number from 0), got " + Problems.echo(raw));
  }

  private static int limit(String raw) {
    if (raw == null) return DEFAULT_LIMIT;
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) return limit;
    } catch (NumberFormatException e) {
      // answered below, like any other bad value
    }
    throw new InvalidRequestException(
        "limit must be a whole number from 1 to " + MAX_LIMIT + ", got " + Problems.echo(raw));
  }
}
