package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** The command line itself: help, usage errors and their exit statuses. No database needed. */
class PodflowCommandLineTest {
  private static final Map<String, String> NO_DATABASE = Map.of();

  @Test
  void noArgumentsHelpAndDashDashHelpPrintTheTopLevelUsage() {
    for (String[] args :
        List.of(
            new String[] {}, new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"})) {
      CommandRun run = CommandRun.run(NO_DATABASE, args);
      assertThat(run.status()).as(String.join(" ", args)).isZero();
      assertThat(run.out())
          .startsWith("Usage: ./podflow")
          .contains("demo", "migrate", "api", "pod", "notifier", "keys", "help")
          .contains("test      run the whole test suite (handled by the ./podflow script)")
          .contains("bench     run the benchmark harness (bench/run.sh; ./podflow bench --help)")
          .contains("DATABASE_URL takes postgres://")
          .contains("3   a demo already runs on this data directory");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void everyCommandExplainsItselfWithHelp() {
    for (String command :
        List.of(
            "demo", "migrate", "api", "pod", "keys", "keys create", "keys list", "keys revoke")) {
      String[] args = (command + " --help").split(" ");
      CommandRun run = CommandRun.run(NO_DATABASE, args);
      assertThat(run.status()).as(command).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: ./podflow " + command + " [-hV]");
    }
    assertThat(CommandRun.run(NO_DATABASE, "help", "demo").out())
        .startsWith("Usage: ./podflow demo")
        .contains("--fresh", "exits with status 3");
  }

  @Test
  void versionIsPrinted() {
    CommandRun run = CommandRun.run(NO_DATABASE, "--version");
    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("podflow ");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CommandRun run = CommandRun.run(NO_DATABASE, "bogus");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("podflow: unknown command 'bogus'")
        .contains("Usage: ./podflow");
    assertThat(run.out()).isEmpty();

    CommandRun keys = CommandRun.run(NO_DATABASE, "keys", "bogus");
    assertThat(keys.status()).isEqualTo(2);
    assertThat(keys.err())
        .startsWith("podflow: unknown command 'bogus'")
        .contains("Usage: ./podflow keys");
  }

  @Test
  void keysWithoutASubcommandIsAUsageError() {
    CommandRun run = CommandRun.run(NO_DATABASE, "keys");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required subcommand", "Usage: ./podflow keys");
  }

  @Test
  void demoTakesFreshAndNothingElse() {
    assertThat(demo("demo", "--fresh").hasMatchedOption("--fresh")).isTrue();
    assertThat(demo("demo").hasMatchedOption("--fresh")).isFalse();

    CommandRun bogus = CommandRun.run(NO_DATABASE, "demo", "--bogus");
    assertThat(bogus.status()).isEqualTo(2);
    assertThat(bogus.err())
        .startsWith("podflow: Unknown option: '--bogus'")
        .contains("Usage: ./podflow demo", "--fresh");
  }

  @Test
  void aFailureIsItsMessageAndExit2() {
    CommandRun run = CommandRun.run(Map.of("DATABASE_URL", "mysql://nope"), "migrate");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("podflow: DATABASE_URL must look like postgres://");
  }

  private static ParseResult demo(String... args) {
    ParseResult parsed = Podflow.commandLine(new Settings(NO_DATABASE)).parseArgs(args);
    return parsed.subcommand();
  }
}
