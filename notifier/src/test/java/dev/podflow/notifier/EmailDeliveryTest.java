package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.podflow.notifier.email.EmailSettings;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user with three devices and an email address: one notification becomes four deliveries, three
 * pushes to the fake FCM server through firebase-admin and one message to a real SMTP server
 * (GreenMail), each recorded SENT, the notification SENT; the email carries the title and ids, not
 * the notification's process data.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class EmailDeliveryTest {

  @Test
  void threeDevicesAndAnEmailAddressEachGetTheNotificationOnce(TestDatabase testDb)
      throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try (NotifierFixture fixture = new NotifierFixture(testDb)) {
      fixture.user("alice");
      fixture.execute("UPDATE users SET email = 'alice@example.com' WHERE id = 'alice'");
      for (String token : new String[] {"phone", "tablet", "laptop"}) {
        fixture.device("alice", token);
      }
      long notification = fixture.notify("alice", "Approve the order");
      EmailSettings email =
          EmailSettings.parse(
              "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
              "podflow@example.com");
      NotifierService notifier =
          fixture.notifier(
              Optional.of(fixture.fcmSettings(false)),
              Optional.of(email),
              NotifierFixture.settings("n1"));

      assertThat(notifier.runOnce().sent()).isEqualTo(4);
      assertThat(notifier.runOnce().sent()).as("nothing is sent twice").isZero();

      assertThat(fixture.status(notification)).isEqualTo("SENT");
      assertThat(fixture.fcm().requests()).hasSize(3);
      for (String token : new String[] {"phone", "tablet", "laptop"}) {
        assertThat(fixture.fcm().requestsTo(token)).hasSize(1);
        assertThat(fixture.deliveryStatus(token)).isEqualTo("SENT");
      }
      assertThat(fixture.deliveryStatus("alice@example.com")).isEqualTo("SENT");
      MimeMessage[] received = smtp.getReceivedMessages();
      assertThat(received).hasSize(1);
      assertThat(received[0].getSubject()).isEqualTo("Approve the order");
      assertThat(GreenMailUtil.getBody(received[0]))
          .contains("Notification: " + notification)
          .doesNotContain(NotifierFixture.PROCESS_DATA);
      assertThat(fixture.sentTotal("email", "sent")).isEqualTo(1);
    } finally {
      smtp.stop();
    }
  }
}
