package dev.podflow.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One {@code ./podflow} command line run in-process, with what it printed and its exit status. */
record CommandRun(int status, String out, String err) {

  static CommandRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Podflow.commandLine(new Settings(env));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new CommandRun(status, out.toString(), err.toString());
  }

  /** The last word of the last line printed. */
  String lastWord() {
    String[] words = out.strip().split("\\s+");
    return words[words.length - 1];
  }
}
