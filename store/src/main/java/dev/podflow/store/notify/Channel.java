package dev.podflow.store.notify;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code NOTIFY} channels Podflow uses: the one place their names are written. Senders go
 * through {@link dev.podflow.store.Notifier}, listeners through {@link NoticeListener}.
 */
public enum Channel {
  /** New work may be claimable: wakes the pods' idle slots. No payload. */
  TASKS("podflow_tasks"),
  /** Instances that have new events (payload: their ids): wakes their event streams. */
  EVENTS("podflow_events"),
  /** Tasks cancelled while running (payload: their ids): the pods running them stop. */
  CANCEL("podflow_cancel"),
  /** New notifications may wait for delivery: wakes the notifiers. No payload. */
  NOTIFICATIONS("podflow_notifications");

  private static final Map<String, Channel> BY_SQL_NAME = new HashMap<>();

  static {
    for (Channel channel : values()) BY_SQL_NAME.put(channel.sqlName, channel);
  }

  private final String sqlName;

  Channel(String sqlName) {
    this.sqlName = sqlName;
  }

  /** The channel's name in {@code LISTEN}, {@code NOTIFY} and {@code pg_notify}. */
  public String sqlName() {
    return sqlName;
  }

  /** The channel PostgreSQL names {@code sqlName}, or null when it is none of Podflow's. */
  static Channel bySqlName(String sqlName) {
    return BY_SQL_NAME.get(sqlName);
  }
}
