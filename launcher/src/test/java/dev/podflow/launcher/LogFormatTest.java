package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PODFLOW_LOG_FORMAT: the launcher's logback.xml logs text or one JSON object a line. */
class LogFormatTest {
  @Test
  void jsonLogsOneObjectALineWithTheFormattedMessageAndTheException() throws Exception {
    String line = logOnce("json");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("loggerName").asText()).isEqualTo("dev.podflow.Test");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("task 42 failed");
    assertThat(json.at("/throwable/message").asText()).isEqualTo("boom");
  }

  @Test
  void textStaysTheDefaultForPeople() throws Exception {
    assertThat(logOnce("text")).endsWith("WARN  Test - task 42 failed");
  }

  @Test
  void anyOtherFormatStopsTheStartNamingTheChoices() {
    assertThat(Podflow.logFormatError(Map.of())).isNull();
    assertThat(Podflow.logFormatError(Map.of("PODFLOW_LOG_FORMAT", "json"))).isNull();
    assertThat(Podflow.logFormatError(Map.of("PODFLOW_LOG_FORMAT", "JSON")))
        .isEqualTo("PODFLOW_LOG_FORMAT must be text or json, got 'JSON'");
  }

  /** The first line logback.xml writes for one WARN with an exception, in {@code format}. */
  private static String logOnce(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding gives the real one
    context.putProperty("PODFLOW_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      context
          .getLogger("dev.podflow.Test")
          .warn("task {} failed", 42, new IllegalStateException("boom"));
    } finally {
      System.setOut(out);
      context.stop();
    }
    return captured.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
  }
}
