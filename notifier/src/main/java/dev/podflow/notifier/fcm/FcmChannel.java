package dev.podflow.notifier.fcm;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.SendResponse;
import com.google.firebase.messaging.WebpushConfig;
import dev.podflow.notifier.DeliveryChannel;
import dev.podflow.notifier.Outcome;
import dev.podflow.store.notification.DueDelivery;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fcm} channel: one message per device, sent with firebase-admin's {@code sendEach} (at
 * most {@value #MAX_PER_CALL} a call, FCM's limit), each answer turned into an {@link Outcome} by
 * {@link FcmErrors}. With {@link FcmSettings#dryRun()} FCM only validates the messages.
 *
 * <p>A message carries the notification's title and ids only, never its body or payload: push
 * passes through Google. FCM may deliver a message twice when a notifier dies between FCM's answer
 * and its commit (the delivery is then sent again), so every message carries the stable {@code
 * podflow_delivery_id} in its data and a collapse key per notification (Android {@code
 * collapse_key}, APNs {@code apns-collapse-id}, Web Push {@code Topic}): the device shows a repeat
 * once. Thread-safe.
 */
public final class FcmChannel implements DeliveryChannel {
  public static final String NAME = "fcm";
  static final int MAX_PER_CALL = 500;

  private final FcmConnection connection;

  public FcmChannel(FcmConnection connection) {
    this.connection = connection;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Outcome> send(List<DueDelivery> deliveries) {
    List<Outcome> outcomes = new ArrayList<>(deliveries.size());
    for (int from = 0; from < deliveries.size(); from += MAX_PER_CALL) {
      outcomes.addAll(
          sendEach(deliveries.subList(from, Math.min(deliveries.size(), from + MAX_PER_CALL))));
    }
    return outcomes;
  }

  private List<Outcome> sendEach(List<DueDelivery> deliveries) {
    List<Message> messages = deliveries.stream().map(FcmChannel::message).toList();
    BatchResponse batch;
    try {
      batch = connection.messaging().sendEach(messages, connection.settings().dryRun());
    } catch (FirebaseMessagingException | RuntimeException e) {
      Outcome whole = Outcome.retry(FcmErrors.describe(e), null);
      return deliveries.stream().map(d -> whole).toList();
    }
    List<Outcome> outcomes = new ArrayList<>(deliveries.size());
    for (SendResponse response : batch.getResponses()) {
      outcomes.add(
          response.isSuccessful()
              ? Outcome.sent(response.getMessageId())
              : FcmErrors.outcome(response.getException()));
    }
    return outcomes;
  }

  /** Deletes the firebase-admin app. */
  @Override
  public void close() {
    connection.close();
  }

  /** The message of one delivery: title and ids, a stable id, a collapse key per notification. */
  static Message message(DueDelivery d) {
    String collapseKey = "podflow-" + d.notificationId();
    Message.Builder message =
        Message.builder()
            .setToken(d.address())
            .setNotification(Notification.builder().setTitle(d.title()).build())
            .putData("podflow_delivery_id", Long.toString(d.id()))
            .putData("podflow_notification_id", Long.toString(d.notificationId()))
            .putData("podflow_type", d.type())
            .setAndroidConfig(AndroidConfig.builder().setCollapseKey(collapseKey).build())
            .setApnsConfig(
                ApnsConfig.builder()
                    .putHeader("apns-collapse-id", collapseKey)
                    .setAps(Aps.builder().build())
                    .build())
            .setWebpushConfig(WebpushConfig.builder().putHeader("Topic", collapseKey).build());
    if (d.procInstId() != null) message.putData("podflow_process_id", d.procInstId().toString());
    if (d.taskId() != null) message.putData("podflow_task_id", d.taskId().toString());
    return message.build();
  }
}
