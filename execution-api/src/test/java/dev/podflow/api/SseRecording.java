package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An open SSE response whose lines a background thread records until the server ends it. */
final class SseRecording implements AutoCloseable {
  /** One parsed SSE message. */
  record Message(String id, String event, String data) {}

  private final HttpResponse<Stream<String>> response;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread reader;

  private SseRecording(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Stream<String> body = response.body()) {
                    body.forEach(lines::add);
                  } catch (RuntimeException e) {
                    lines.add("!! " + e);
                  } finally {
                    ended.countDown();
                  }
                });
  }

  /** Opens the stream and waits for the response headers. */
  static SseRecording open(ApiClient client, String path, String... headers) {
    try {
      HttpResponse<Stream<String>> response =
          client.http.send(
              client.request(path, headers).header("Accept", "text/event-stream").GET().build(),
              HttpResponse.BodyHandlers.ofLines());
      return new SseRecording(response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<Stream<String>> response() {
    return response;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The complete messages received so far (a message ends at a blank line). */
  List<Message> messages() {
    List<Message> messages = new ArrayList<>();
    String id = null;
    String event = null;
    StringBuilder data = null;
    for (String line : lines) {
      if (line.isEmpty()) {
        if (data != null) messages.add(new Message(id, event, data.toString()));
        id = null;
        event = null;
        data = null;
      } else if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data =
            (data == null ? new StringBuilder() : data.append('\n'))
                .append(line.substring(5).strip());
      }
    }
    return messages;
  }

  List<String> eventTypes() {
    return messages().stream().map(Message::event).toList();
  }

  boolean hasEnded() {
    return ended.getCount() == 0;
  }

  void assertEndsWithin(Duration timeout) throws InterruptedException {
    assertThat(ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("the server ended the stream; lines so far: %s", lines)
        .isTrue();
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
