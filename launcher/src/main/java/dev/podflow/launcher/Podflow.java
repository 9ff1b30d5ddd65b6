package dev.podflow.launcher;

import dev.podflow.store.PodflowException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ./podflow COMMAND}: the one entry point of every Podflow process. Owns the command line
 * (which commands exist, how usage errors and failures are reported, the exit statuses); each
 * command is a class of its own.
 */
@Command(
    name = "./podflow",
    mixinStandardHelpOptions = true,
    description = "Podflow, a BPM engine on PostgreSQL: run it, or one part of it.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done",
      "1:not found (keys revoke: no key with that id)",
      "2:usage error, bad setting or failure, with its message",
      "3:a demo already runs on this data directory"
    },
    footerHeading = "%n",
    footer = {
      "DATABASE_URL takes postgres://user:password@host:5432/db",
      "              or jdbc:postgresql://host:5432/db.",
      "Other settings: see README.md, section Configuration."
    })
public final class Podflow implements Runnable {
  /** The exit status of a command that found nothing to work on, e.g. no key with that id. */
  static final int EXIT_NOT_FOUND = 1;

  /** The exit status of a usage error (picocli's) and of a failure Podflow reports. */
  static final int EXIT_FAILED = 2;

  /** The exit status of a demo refused because another runs on its data directory. */
  static final int EXIT_ALREADY_RUNNING = 3;

  /** The commands the {@code ./podflow} script runs itself, before Java starts: name, summary. */
  private static final String[][] SCRIPT_COMMANDS = {
    {"test", "run the whole test suite (handled by the ./podflow script)"},
    {"bench", "run the benchmark harness (bench/run.sh; ./podflow bench --help)"}
  };

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    String badLogFormat = logFormatError(System.getenv());
    if (badLogFormat != null) {
      System.err.println("podflow: " + badLogFormat);
      System.exit(EXIT_FAILED);
    }
    System.exit(commandLine(new Settings(System.getenv())).execute(args));
  }

  /**
   * Why {@code PODFLOW_LOG_FORMAT} is unusable, or null. logback.xml includes {@code
   * logback-<format>.xml}; any other value would leave the process logging nothing.
   */
  static String logFormatError(Map<String, String> env) {
    String format = env.get("PODFLOW_LOG_FORMAT");
    if (format == null || format.equals("text") || format.equals("json")) return null;
    return "PODFLOW_LOG_FORMAT must be text or json, got '" + format + "'";
  }

  /** The whole command line, its commands reading {@code settings}. */
  static CommandLine commandLine(Settings settings) {
    CommandLine cli =
        new CommandLine(new Podflow())
            .addSubcommand(new DemoCommand(settings))
            .addSubcommand(new MigrateCommand(settings))
            .addSubcommand(new PublishCommand(settings))
            .addSubcommand(new ApiCommand(settings))
            .addSubcommand(new PodCommand(settings))
            .addSubcommand(new NotifierCommand(settings))
            .addSubcommand(new KeysCommand(settings))
            .addSubcommand(new MemoryCommand(settings))
            .addSubcommand(new HelpCommand());
    cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Podflow::commandList);
    versionEverywhere(cli);
    cli.setParameterExceptionHandler(Podflow::usageError);
    cli.setExecutionExceptionHandler(Podflow::failure);
    return cli;
  }

  /** No command: the usage, as {@code help} prints it. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The commands, with test and bench before help although picocli does not run them. */
  private static String commandList(Help help) {
    Map<String, Help> commands = new LinkedHashMap<>();
    help.subcommands()
        .forEach(
            (name, command) -> {
              if (name.equals("help")) {
                for (String[] script : SCRIPT_COMMANDS) {
                  commands.put(script[0], describe(help, script[0], script[1]));
                }
              }
              commands.put(name, command);
            });
    return help.commandList(commands);
  }

  private static Help describe(Help help, String name, String description) {
    CommandSpec command = CommandSpec.create().name(name);
    command.usageMessage().description(description);
    return new Help(command, help.colorScheme());
  }

  /** {@code -V} on any command: the version in the jar's manifest. */
  private static void versionEverywhere(CommandLine cli) {
    String version = Podflow.class.getPackage().getImplementationVersion();
    String line = "podflow " + (version == null ? "(run from classes, not from its jar)" : version);
    cli.getCommandSpec().versionProvider(() -> new String[] {line});
    cli.getSubcommands().values().forEach(Podflow::versionEverywhere);
  }

  /** A bad command line: what is wrong, then the usage of the command it was for; exit 2. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("podflow: " + whatIsWrong(e));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println();
    cli.usage(err);
    return EXIT_FAILED;
  }

  private static String whatIsWrong(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatched
        && !e.getCommandLine().getSubcommands().isEmpty()
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + unmatched.getUnmatched().get(0) + "'";
    }
    return e.getMessage();
  }

  /**
   * A failure Podflow raised on purpose (or an I/O one) is its message and exit 2, or 3 for a
   * demo's data directory in use; anything else is a bug, and picocli prints its stack trace.
   */
  private static int failure(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
    if (!(e instanceof PodflowException || e instanceof UncheckedIOException)) throw e;
    cli.getErr().println("podflow: " + e.getMessage());
    return e instanceof DataDirectoryInUseException ? EXIT_ALREADY_RUNNING : EXIT_FAILED;
  }
}
