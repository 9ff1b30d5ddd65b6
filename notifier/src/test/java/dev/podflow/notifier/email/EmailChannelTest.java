package dev.podflow.notifier.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.podflow.notifier.Outcome;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.notification.DueDelivery;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email channel against a real SMTP server (GreenMail, in the test): messages arrive with the
 * title and ids only and a Message-ID made from the delivery; an unreachable server is a retry, a
 * malformed address a failure; bad settings are refused naming the variable, never the password.
 */
class EmailChannelTest {
  private GreenMail smtp;

  @BeforeEach
  void start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Test
  void eachDeliveryArrivesWithTheTitleAndIdsAndAStableMessageId() throws Exception {
    EmailChannel channel = channel("smtp://127.0.0.1:" + port() + "?starttls=false");
    UUID process = UUID.randomUUID();
    List<Outcome> outcomes =
        channel.send(
            List.of(delivery(7, "ada@example.com", process), delivery(8, "bob@example.com", null)));

    assertThat(outcomes).extracting(Outcome::kind).containsOnly(Outcome.Kind.SENT);
    assertThat(outcomes.getFirst().providerId()).isEqualTo("<podflow.delivery.7@podflow.example>");
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage toAda = received[0];
    assertThat(toAda.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
    assertThat(toAda.getFrom()[0].toString()).isEqualTo("podflow@podflow.example");
    assertThat(toAda.getSubject()).isEqualTo("Review: Approve is waiting for you");
    assertThat(toAda.getMessageID()).isEqualTo("<podflow.delivery.7@podflow.example>");
    assertThat(GreenMailUtil.getBody(toAda))
        .contains("Process: " + process)
        .contains("Task: 42")
        .contains("task_assigned");
  }

  @Test
  void anUnreachableServerIsRetriedAndAMalformedAddressFails() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    List<Outcome> down =
        channel("smtp://127.0.0.1:" + closed + "?starttls=false")
            .send(List.of(delivery(1, "ada@example.com", null)));
    assertThat(down).extracting(Outcome::kind).containsExactly(Outcome.Kind.RETRY);

    List<Outcome> malformed =
        channel("smtp://127.0.0.1:" + port() + "?starttls=false")
            .send(
                List.of(delivery(2, "not an address", null), delivery(3, "ok@example.com", null)));
    assertThat(malformed)
        .extracting(Outcome::kind)
        .containsExactly(Outcome.Kind.FAIL, Outcome.Kind.SENT);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void settingsAreCheckedAndThePasswordNeverShows() {
    EmailSettings settings =
        EmailSettings.parse("smtp://mailer:s%40cret@mail.example:2525", "podflow@example.com");
    assertThat(settings.user()).isEqualTo("mailer");
    assertThat(settings.password()).isEqualTo("s@cret");
    assertThat(settings.startTls()).isTrue();
    assertThat(settings.toString()).doesNotContain("s@cret").contains("mailer:***@");
    assertThat(EmailSettings.parse("smtps://mail.example", "a@example.com").port()).isEqualTo(465);

    assertThatThrownBy(() -> EmailSettings.parse("http://user:hunter2@mail.example", "a@b.c"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(EmailSettings.URL)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                EmailSettings.fromEnvironment(
                    new Environment(Map.of(EmailSettings.URL, "smtp://mail.example"))))
        .hasMessageContaining(EmailSettings.FROM);
    assertThatThrownBy(() -> EmailSettings.parse("smtp://mail.example", "not an address"))
        .hasMessageContaining(EmailSettings.FROM);
    assertThat(EmailSettings.fromEnvironment(new Environment(Map.of()))).isEmpty();
  }

  private int port() {
    return smtp.getSmtp().getPort();
  }

  private static EmailChannel channel(String url) {
    return new EmailChannel(EmailSettings.parse(url, "podflow@podflow.example"));
  }

  private static DueDelivery delivery(long id, String address, UUID process) {
    return new DueDelivery(
        id,
        100 + id,
        "default",
        EmailChannel.NAME,
        address,
        1,
        "ada",
        "task_assigned",
        "Review: Approve is waiting for you",
        process,
        42L,
        Instant.now());
  }
}
