package dev.podflow.bench;

/**
 * One line of the results table.
 *
 * @param scenario e.g. "queue drain"
 * @param system what ran: "podflow", "raw SQL (pgbench)", "db-scheduler", …
 * @param setup concurrency and mode, e.g. "P=4 in-process"
 * @param metric what {@code value} measures, e.g. "tasks/s"
 * @param value the number
 * @param note anything the number needs to be read right (ratios, settings)
 */
record Row(String scenario, String system, String setup, String metric, double value, String note) {

  String formattedValue() {
    if (Double.isNaN(value)) return "n/a";
    if (Math.abs(value) >= 100) return String.format("%,.0f", value);
    if (Math.abs(value) >= 10) return String.format("%.1f", value);
    return String.format("%.2f", value);
  }
}
