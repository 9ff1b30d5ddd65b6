package dev.podflow.bench;

/**
 * Warm-up before a measured drain, the same for Podflow and its peers: rounds until a round is no
 * more than {@link #STEADY} times faster than the best before it (at least {@link #MIN_ROUNDS}, at
 * most {@link #MAX_ROUNDS}). Rounds, not a fixed count: the JIT compiles a method in its last tier
 * after thousands of calls, later when its queue is long, and a pod process (thousands of methods
 * to compile on a core it shares) was still compiling its claim and completion in that tier after
 * 20,000 tasks of its own.
 */
final class WarmUp {
  static final double STEADY = 1.05;
  static final int MIN_ROUNDS = 2;
  static final int MAX_ROUNDS = 8;

  /** One warm-up round; its rate in tasks per second. */
  interface Round {
    double run() throws Exception;
  }

  private WarmUp() {}

  /** Runs rounds until the rate is steady; how many ran. */
  static int untilSteady(Round round) throws Exception {
    double best = 0;
    for (int rounds = 1; ; rounds++) {
      double rate = round.run();
      boolean steady = rounds >= MIN_ROUNDS && rate <= best * STEADY;
      if (steady || rounds == MAX_ROUNDS) return rounds;
      best = Math.max(best, rate);
    }
  }

  /** How a row says it. */
  static String note(int rounds) {
    return "after " + rounds + " warm-up rounds";
  }
}
