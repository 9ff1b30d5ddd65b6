package dev.podflow.notifier;

import dev.podflow.notifier.email.EmailChannel;
import dev.podflow.notifier.email.EmailSettings;
import dev.podflow.notifier.fcm.FcmChannel;
import dev.podflow.notifier.fcm.FcmConnection;
import dev.podflow.notifier.fcm.FcmSettings;
import dev.podflow.store.Database;
import dev.podflow.store.TestSignal;
import dev.podflow.store.notification.DeliveryDao;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notifier: a background loop that expands PENDING notifications into deliveries ({@link
 * Expansion}) and sends due deliveries ({@link DueDeliveries}) until there is nothing left, then
 * sleeps until the earliest next attempt, a {@code podflow_notifications} notice ({@link
 * NoticeListener}) or the fallback poll, whichever comes first. Any number of notifiers may work
 * one database: they claim with SKIP LOCKED and fence every write by attempt.
 *
 * <p>{@link #runOnce()} is the loop's pass, callable from tests without starting anything. A pass
 * that fails (the database went away) is logged and counted, and the loop goes on after a poll
 * interval. Thread-safe.
 */
public final class NotifierService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifierService.class);

  /** What one pass did, summed over its batches. */
  public record Pass(
      int delivering,
      int undeliverable,
      int claimed,
      int sent,
      int retried,
      int failed,
      int retired,
      int leaseLost) {
    static final Pass NONE = new Pass(0, 0, 0, 0, 0, 0, 0, 0);

    Pass plus(Expansion.Expanded e) {
      return new Pass(
          delivering + e.delivering(),
          undeliverable + e.undeliverable(),
          claimed,
          sent,
          retried,
          failed,
          retired,
          leaseLost);
    }

    Pass plus(DueDeliveries.Round r) {
      return new Pass(
          delivering,
          undeliverable,
          claimed + r.claimed(),
          sent + r.sent(),
          retried + r.retried(),
          failed + r.failed(),
          retired + r.retired(),
          leaseLost + r.leaseLost());
    }
  }

  /** Points tests can wait for; see {@link TestSignal}. */
  public static final class TestSignals {
    /** The loop finished a pass: what it did. */
    public final TestSignal<Pass> passed = new TestSignal<>();
  }

  private final Database database;
  private final NotifierSettings settings;
  private final List<DeliveryChannel> channels;
  private final String[] channelNames;
  private final Expansion expansion;
  private final DueDeliveries deliveries;
  private final NotifierMetrics metrics;
  private final NoticeListener listener;
  private final TestSignals testSignals = new TestSignals();
  private final Thread thread;
  private final Object wakeLock = new Object();
  private boolean woken;
  private volatile boolean closed;
  private volatile boolean lastPassFailed;
  private long lastSampleNanos;

  /**
   * A notifier on {@code channels} (closed with it), not started.
   *
   * @param database a pool acting as {@code podflow_notifier}
   */
  public NotifierService(
      Database database,
      NotifierSettings settings,
      List<DeliveryChannel> channels,
      MeterRegistry registry) {
    if (channels.isEmpty()) throw new IllegalArgumentException("a notifier needs a channel");
    this.database = database;
    this.settings = settings;
    this.channels = List.copyOf(channels);
    this.channelNames = channels.stream().map(DeliveryChannel::name).toArray(String[]::new);
    this.metrics = new NotifierMetrics(registry);
    this.expansion = new Expansion(database.jdbi(), channelNames, settings.batchSize());
    this.deliveries =
        new DueDeliveries(
            database.jdbi(), settings, channels, metrics, RandomGenerator.getDefault());
    this.listener =
        NoticeListener.builder(database, "podflow-notifier-listen-" + settings.notifierId())
            .on(Channel.NOTIFICATIONS, words -> wake())
            .onConnect(this::wake)
            .build();
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("podflow-notifier-" + settings.notifierId())
            .unstarted(this::run);
  }

  /**
   * The channels a notifier configured so has: {@code fcm} when {@code fcm} is set, {@code email}
   * when {@code email} is; with neither (the demo) {@code log} alone.
   *
   * @param appName names the firebase-admin app, unique in the JVM
   */
  public static List<DeliveryChannel> channels(
      Optional<FcmSettings> fcm, Optional<EmailSettings> email, String appName) {
    List<DeliveryChannel> channels = new ArrayList<>();
    fcm.ifPresent(f -> channels.add(new FcmChannel(FcmConnection.open(f, appName))));
    email.ifPresent(e -> channels.add(new EmailChannel(e)));
    if (channels.isEmpty()) channels.add(new LogChannel());
    return List.copyOf(channels);
  }

  /** Starts listening and the loop; once. */
  public NotifierService start() {
    log.info(
        "[notifier {}] delivering on {} (batch {}, {} attempts, lease {} s)",
        settings.notifierId(),
        String.join(", ", channelNames),
        settings.batchSize(),
        settings.maxAttempts(),
        settings.lease().toSeconds());
    listener.start();
    thread.start();
    return this;
  }

  public TestSignals testSignals() {
    return testSignals;
  }

  /** Expands and sends until nothing is due; what it did. */
  public Pass runOnce() {
    Pass pass = Pass.NONE;
    Expansion.Expanded expanded;
    do {
      expanded = expansion.expandOnce();
      pass = pass.plus(expanded);
    } while (expanded.claimed() == settings.batchSize());
    DueDeliveries.Round round;
    do {
      round = deliveries.sendOnce();
      pass = pass.plus(round);
    } while (round.claimed() == settings.batchSize());
    metrics.recorded("none", "undeliverable", pass.undeliverable());
    return pass;
  }

  /** Samples the outbox's depth and oldest age into the gauges. */
  public void sampleOutbox() {
    metrics.outbox(database.jdbi().withExtension(DeliveryDao.class, DeliveryDao::outboxDepth));
  }

  /** True until closed, while the loop runs. */
  public boolean isAlive() {
    return !closed && thread.isAlive();
  }

  /** Alive, listening, and its last pass reached the database. */
  public boolean isReady() {
    return isAlive() && listener.isListening() && !lastPassFailed;
  }

  /** Stops the loop (a send in flight finishes and is recorded), the listener and the channels. */
  @Override
  public void close() {
    closed = true;
    listener.close();
    wake();
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(settings.lease().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (DeliveryChannel channel : channels) channel.close();
  }

  private void run() {
    while (!closed) {
      Duration wait = settings.pollInterval();
      try {
        Pass pass = runOnce();
        sampleOutboxNowAndThen();
        wait = untilNextDue();
        lastPassFailed = false;
        testSignals.passed.signal(pass);
      } catch (RuntimeException e) {
        if (closed) break;
        lastPassFailed = true;
        metrics.failedPass();
        log.warn(
            "[notifier {}] a pass failed; trying again in {} ms",
            settings.notifierId(),
            wait.toMillis(),
            e);
      }
      sleep(wait);
    }
    log.info("[notifier {}] stopped", settings.notifierId());
  }

  private void sampleOutboxNowAndThen() {
    long now = System.nanoTime();
    if (lastSampleNanos != 0 && now - lastSampleNanos < settings.pollInterval().toNanos()) return;
    lastSampleNanos = now;
    sampleOutbox();
  }

  /** Until the earliest next attempt, at most a poll interval. */
  private Duration untilNextDue() {
    Optional<Long> millis =
        database.jdbi().withExtension(DeliveryDao.class, dao -> dao.deliveryNextDue(channelNames));
    Duration poll = settings.pollInterval();
    return millis.map(Duration::ofMillis).filter(d -> d.compareTo(poll) < 0).orElse(poll);
  }

  private void wake() {
    synchronized (wakeLock) {
      woken = true;
      wakeLock.notifyAll();
    }
  }

  private void sleep(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (wakeLock) {
      try {
        while (!woken && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) break;
          wakeLock.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
      woken = false;
    }
  }
}
