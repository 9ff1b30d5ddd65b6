package dev.podflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Notifier.Notification;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Notifier#merge}: what is sent together becomes one notification per channel, its distinct
 * payloads joined by a space, split so that no payload reaches PostgreSQL's limit, none lost.
 */
class NotifierMergeTest {
  private static final String EVENTS = Channel.EVENTS.sqlName();
  private static final String TASKS = Channel.TASKS.sqlName();

  private static Notification n(String channel, String payload) {
    return new Notification(channel, payload);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The payloads a listener finds in the merged notifications of {@code channel}, in order. */
  private static List<String> split(List<Notification> merged, String channel) {
    return merged.stream()
        .filter(m -> m.channel().equals(channel))
        .flatMap(m -> NoticeListener.words(m.payload()).stream())
        .toList();
  }

  @Test
  void nothingToSendMergesToNothing() {
    assertThat(Notifier.merge(List.of())).isEmpty();
  }

  @Test
  void oneNotificationStaysAsItIs() {
    assertThat(Notifier.merge(List.of(n(EVENTS, "a")))).containsExactly(n(EVENTS, "a"));
  }

  @Test
  void notificationsOfOneChannelBecomeOneJoinedBySpacesInTheOrderSent() {
    List<Notification> merged =
        Notifier.merge(List.of(n(EVENTS, "a"), n(TASKS, ""), n(EVENTS, "b"), n(EVENTS, "c")));

    assertThat(merged).containsExactly(n(EVENTS, "a b c"), n(TASKS, ""));
  }

  @Test
  void repeatedPayloadsAreSentOncePerChannelButNotMergedAcrossChannels() {
    List<Notification> merged =
        Notifier.merge(
            List.of(
                n(EVENTS, "a"),
                n(EVENTS, "b"),
                n(EVENTS, "a"),
                n("podflow_other", "a"),
                n(TASKS, ""),
                n(TASKS, ""),
                n(EVENTS, "b")));

    assertThat(merged).containsExactly(n(EVENTS, "a b"), n("podflow_other", "a"), n(TASKS, ""));
  }

  @Test
  void manyIdsAreSplitIntoFullNotificationsNoneOverTheLimitAndNoneLost() {
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID().toString()).toList();
    List<Notification> sent = new ArrayList<>();
    for (String id : ids) {
      sent.add(n(EVENTS, id));
      sent.add(n(TASKS, "")); // a wake-up per completion, as the hot path sends them
    }

    List<Notification> merged = Notifier.merge(sent);

    List<Notification> events = merged.stream().filter(m -> m.channel().equals(EVENTS)).toList();
    // 36-byte ids, 37 with the separator: 213 fit in 7,900 bytes, so 500 take 213 + 213 + 74.
    assertThat(events).hasSize(3);
    assertThat(events).allSatisfy(m -> assertThat(bytes(m.payload())).isLessThanOrEqualTo(7_900));
    for (Notification full : events.subList(0, events.size() - 1)) {
      assertThat(bytes(full.payload()) + 1 + 36)
          .as("a split notification is full: the next id would not have fit")
          .isGreaterThan(Notifier.MAX_PAYLOAD_BYTES);
    }
    assertThat(split(merged, EVENTS)).containsExactlyElementsOf(ids);
    assertThat(merged.stream().filter(m -> m.channel().equals(TASKS)))
        .containsExactly(n(TASKS, ""));
  }

  @Test
  void theLimitCountsUtf8BytesNotCharacters() {
    // 100 characters, 197 bytes each ("é" takes two). Counting characters would pack 78 of them
    // into one notification: about 15,400 bytes, far over PostgreSQL's limit.
    List<String> payloads =
        IntStream.range(0, 150).mapToObj(i -> String.format("%03d", i) + "é".repeat(97)).toList();
    List<Notification> merged = Notifier.merge(payloads.stream().map(p -> n(EVENTS, p)).toList());

    assertThat(merged).hasSizeGreaterThan(1);
    assertThat(merged)
        .allSatisfy(
            m -> assertThat(bytes(m.payload())).isLessThanOrEqualTo(Notifier.MAX_PAYLOAD_BYTES));
    assertThat(split(merged, EVENTS)).containsExactlyElementsOf(payloads);
  }

  @Test
  void payloadsThatFillTheLimitExactlyTravelTogetherOneByteMoreSplitsThem() {
    int max = Notifier.MAX_PAYLOAD_BYTES;
    String first = "a".repeat(100);
    String exact = "b".repeat(max - 100 - 1); // first + " " + exact = max bytes
    String over = "c".repeat(max - 100); // first + " " + over = max + 1 bytes

    assertThat(Notifier.merge(List.of(n(EVENTS, first), n(EVENTS, exact))))
        .containsExactly(n(EVENTS, first + " " + exact));
    assertThat(Notifier.merge(List.of(n(EVENTS, first), n(EVENTS, over))))
        .containsExactly(n(EVENTS, first), n(EVENTS, over));
  }

  @Test
  void aPayloadOfExactlyTheLimitIsSentAloneBetweenTheOthers() {
    String big = "x".repeat(Notifier.MAX_PAYLOAD_BYTES);
    List<Notification> merged =
        Notifier.merge(List.of(n(EVENTS, "a"), n(EVENTS, big), n(EVENTS, "b")));

    assertThat(merged).containsExactly(n(EVENTS, "a"), n(EVENTS, big), n(EVENTS, "b"));
  }
}
