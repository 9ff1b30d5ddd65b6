package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The demo's notifier, with neither FCM nor SMTP configured: it logs what it would deliver. */
@ExtendWith(PodflowDatabaseExtension.class)
class LogOnlyTest {

  @Test
  void withNothingConfiguredEachNotificationIsOneLoggedDelivery(TestDatabase testDb)
      throws Exception {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Logger logger = (Logger) LoggerFactory.getLogger(LogChannel.class);
    logger.addAppender(lines);
    try (NotifierFixture fixture = new NotifierFixture(testDb)) {
      fixture.user("alice");
      fixture.device("alice", "phone");
      long withDevice = fixture.notify("alice", "Approve the order");
      long withoutUser = fixture.notify("operators", "Process failed");
      NotifierService notifier =
          fixture.notifier(Optional.empty(), NotifierFixture.settings("demo"));

      assertThat(notifier.runOnce().sent()).isEqualTo(2);

      assertThat(fixture.status(withDevice)).isEqualTo("SENT");
      assertThat(fixture.status(withoutUser)).isEqualTo("SENT");
      assertThat(
              testDb.number("SELECT count(*) FROM notification_deliveries WHERE channel = 'log'"))
          .isEqualTo(2);
      assertThat(
              testDb.number("SELECT count(*) FROM notification_deliveries WHERE channel <> 'log'"))
          .isZero();
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("would deliver notification " + withDevice)
                      .contains("user alice")
                      .contains("Approve the order")
                      .doesNotContain(NotifierFixture.PROCESS_DATA))
          .anySatisfy(line -> assertThat(line).contains("notification " + withoutUser));
    } finally {
      logger.detachAppender(lines);
    }
  }
}
