package dev.podflow.engine.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PodComponentsTest {
  /** A component that records when it is closed. */
  record Closing(String name, List<String> closed) implements AutoCloseable {
    @Override
    public void close() {
      closed.add(name);
    }
  }

  record Other(String name, List<String> closed) implements AutoCloseable {
    @Override
    public void close() {
      closed.add(name);
      throw new IllegalStateException("broken");
    }
  }

  @Test
  void everyPlugInGetsTheOneComponentOfAType() throws Exception {
    PodComponents components = new PodComponents();
    AtomicInteger made = new AtomicInteger();
    ExecutorService plugIns = Executors.newFixedThreadPool(8);
    try {
      List<Future<Closing>> asks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        asks.add(
            plugIns.submit(
                () ->
                    components.get(
                        Closing.class,
                        () -> new Closing("mcp-" + made.incrementAndGet(), new ArrayList<>()))));
      }
      Closing first = asks.getFirst().get();
      for (Future<Closing> ask : asks) assertThat(ask.get()).isSameAs(first);
      assertThat(made).hasValue(1);
    } finally {
      plugIns.shutdownNow();
    }
  }

  @Test
  void closingClosesEachNewestFirstPastOneThatFailsAndEndsTheGets() {
    List<String> closed = new ArrayList<>();
    PodComponents components = new PodComponents();
    components.get(Closing.class, () -> new Closing("first", closed));
    components.get(Other.class, () -> new Other("second", closed));
    components.get(String.class, () -> "not closeable");

    components.close();
    components.close();

    assertThat(closed).containsExactly("second", "first");
    assertThatThrownBy(() -> components.get(String.class, () -> "again"))
        .isInstanceOf(IllegalStateException.class);
  }
}
