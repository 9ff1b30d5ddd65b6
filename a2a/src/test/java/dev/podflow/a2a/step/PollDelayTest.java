package dev.podflow.a2a.step;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollDelayTest {
  @Test
  void theDelayBeforeEachPollDoublesUpToItsCapLongerWhenThePeerPushes() {
    assertThat(A2aOrchestrator.delay(0, false)).hasSeconds(1);
    assertThat(A2aOrchestrator.delay(3, false)).hasSeconds(8);
    assertThat(A2aOrchestrator.delay(20, false)).hasSeconds(30);
    assertThat(A2aOrchestrator.delay(0, true)).hasSeconds(30);
    assertThat(A2aOrchestrator.delay(20, true)).hasSeconds(300);
  }
}
