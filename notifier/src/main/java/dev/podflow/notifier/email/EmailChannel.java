package dev.podflow.notifier.email;

import dev.podflow.notifier.DeliveryChannel;
import dev.podflow.notifier.Outcome;
import dev.podflow.store.notification.DueDelivery;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * The {@code email} channel: one message per delivery through the SMTP server of {@link
 * EmailSettings} (Jakarta Mail, Eclipse Angus), one connection per batch. Like a push, a message
 * carries the notification's title and ids, not process data. Its Message-ID is made from the
 * delivery's id, so the one message a crash between the server's answer and the commit sends again
 * has the same Message-ID as the first, which mail systems use to drop duplicates.
 *
 * <p>A permanent refusal (an SMTP 5xx for the address or the message, a malformed address) fails
 * the delivery; anything else (the server unreachable, a 4xx, a timeout) is retried. Thread-safe:
 * each call opens its own connection.
 */
public final class EmailChannel implements DeliveryChannel {
  public static final String NAME = "email";
  private static final String TIMEOUT_MS = "10000";

  private final EmailSettings settings;
  private final Session session;
  private final String protocol;

  public EmailChannel(EmailSettings settings) {
    this.settings = settings;
    this.protocol = settings.tls() ? "smtps" : "smtp";
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.setProperty(prefix + "host", settings.host());
    p.setProperty(prefix + "port", Integer.toString(settings.port()));
    p.setProperty(prefix + "auth", Boolean.toString(settings.user() != null));
    p.setProperty(prefix + "starttls.enable", Boolean.toString(settings.startTls()));
    p.setProperty(prefix + "starttls.required", Boolean.toString(settings.startTls()));
    p.setProperty(prefix + "connectiontimeout", TIMEOUT_MS);
    p.setProperty(prefix + "timeout", TIMEOUT_MS);
    p.setProperty(prefix + "writetimeout", TIMEOUT_MS);
    this.session = Session.getInstance(p);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Outcome> send(List<DueDelivery> deliveries) {
    List<Outcome> outcomes = new ArrayList<>(deliveries.size());
    try (Transport transport = session.getTransport(protocol)) {
      transport.connect(settings.host(), settings.port(), settings.user(), settings.password());
      for (DueDelivery delivery : deliveries) outcomes.add(sendOne(transport, delivery));
    } catch (MessagingException e) {
      // Connecting failed (or closing did, after every outcome was known).
      Outcome unreachable = Outcome.retry("SMTP server: " + e.getMessage(), null);
      while (outcomes.size() < deliveries.size()) outcomes.add(unreachable);
    }
    return outcomes;
  }

  private Outcome sendOne(Transport transport, DueDelivery delivery) {
    MimeMessage message;
    try {
      message = message(delivery);
    } catch (AddressException e) {
      return Outcome.fail("not an email address: " + e.getMessage());
    } catch (MessagingException e) {
      return Outcome.fail("the message could not be built: " + e.getMessage());
    }
    try {
      transport.sendMessage(message, message.getAllRecipients());
      return Outcome.sent(message.getMessageID());
    } catch (MessagingException e) {
      return permanent(e)
          ? Outcome.fail("SMTP refused it: " + e.getMessage())
          : Outcome.retry("SMTP: " + e.getMessage(), null);
    }
  }

  private MimeMessage message(DueDelivery d) throws MessagingException {
    String messageId = "<podflow.delivery." + d.id() + "@" + domainOf(settings.from()) + ">";
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    message.setFrom(settings.from());
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(d.address(), true));
    message.setSubject(d.title(), StandardCharsets.UTF_8.name());
    StringBuilder text = new StringBuilder(d.title()).append("\n\n");
    if (d.procInstId() != null) text.append("Process: ").append(d.procInstId()).append('\n');
    if (d.taskId() != null) text.append("Task: ").append(d.taskId()).append('\n');
    text.append("Notification: ").append(d.notificationId()).append(" (").append(d.type());
    text.append(")\n");
    message.setText(text.toString(), StandardCharsets.UTF_8.name());
    message.saveChanges();
    return message;
  }

  /** A 5xx reply about the address, the sender or the message: sending again cannot help. */
  private static boolean permanent(MessagingException e) {
    for (Exception cause = e; cause != null; ) {
      int code =
          switch (cause) {
            case SMTPAddressFailedException a -> a.getReturnCode();
            case SMTPSenderFailedException s -> s.getReturnCode();
            case SMTPSendFailedException s -> s.getReturnCode();
            default -> 0;
          };
      if (code >= 500) return true;
      if (cause instanceof SendFailedException sent
          && sent.getInvalidAddresses() != null
          && sent.getInvalidAddresses().length > 0
          && code == 0) {
        return true;
      }
      cause = cause instanceof MessagingException m ? m.getNextException() : null;
    }
    return false;
  }

  private static String domainOf(InternetAddress from) {
    String address = from.getAddress();
    return address.substring(address.indexOf('@') + 1);
  }
}
