package dev.podflow.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of one run; printed as a table and written as Markdown and CSV. */
final class Results {
  private final List<Row> rows = new ArrayList<>();
  private final String machine;
  private final String command;

  Results(String machine, String command) {
    this.machine = machine;
    this.command = command;
  }

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  synchronized Optional<Row> find(String scenario, String system, String setup) {
    return rows.stream()
        .filter(
            r ->
                r.scenario().equals(scenario)
                    && r.system().equals(system)
                    && r.setup().equals(setup))
        .findFirst();
  }

  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("Machine: ").append(machine).append("\n\n");
    b.append("Command: `").append(command).append("`\n\n");
    b.append("| Scenario | System | Setup | Metric | Value | Notes |\n");
    b.append("|---|---|---|---|---:|---|\n");
    for (Row r : rows()) {
      b.append("| ")
          .append(r.scenario())
          .append(" | ")
          .append(r.system())
          .append(" | ")
          .append(r.setup())
          .append(" | ")
          .append(r.metric())
          .append(" | ")
          .append(r.formattedValue())
          .append(" | ")
          .append(r.note().replace("|", "\\|"))
          .append(" |\n");
    }
    return b.toString();
  }

  String csv() {
    StringBuilder b = new StringBuilder("scenario,system,setup,metric,value,note\n");
    for (Row r : rows()) {
      b.append(csv(r.scenario()))
          .append(',')
          .append(csv(r.system()))
          .append(',')
          .append(csv(r.setup()))
          .append(',')
          .append(csv(r.metric()))
          .append(',')
          .append(Double.isNaN(r.value()) ? "" : String.format("%.3f", r.value()))
          .append(',')
          .append(csv(r.note()))
          .append('\n');
    }
    return b.toString();
  }

  void print(PrintStream out) {
    List<Row> all = rows();
    int[] w = {8, 6, 5, 6, 5};
    for (Row r : all) {
      w[0] = Math.max(w[0], r.scenario().length());
      w[1] = Math.max(w[1], r.system().length());
      w[2] = Math.max(w[2], r.setup().length());
      w[3] = Math.max(w[3], r.metric().length());
      w[4] = Math.max(w[4], r.formattedValue().length());
    }
    String fmt =
        "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %" + w[4] + "s  %s%n";
    out.printf(fmt, "scenario", "system", "setup", "metric", "value", "notes");
    for (Row r : all) {
      out.printf(
          fmt, r.scenario(), r.system(), r.setup(), r.metric(), r.formattedValue(), r.note());
    }
  }

  /** Writes {@code dir/stamp.md} and {@code dir/stamp.csv}; returns the Markdown file. */
  Path write(Path dir, String stamp) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve(stamp + ".md");
    Files.writeString(md, "# Podflow bench " + stamp + "\n\n" + markdown());
    Files.writeString(dir.resolve(stamp + ".csv"), csv());
    return md;
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
