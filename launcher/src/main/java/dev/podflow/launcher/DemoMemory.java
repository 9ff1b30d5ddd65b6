package dev.podflow.launcher;

import dev.podflow.store.Database;
import java.io.PrintStream;

/**
 * The demo's learning sample: {@value #SAMPLE} asks agent {@value #AGENT} a customer's question; a
 * person corrects the answer with feedback, a pod embeds the correction, and the next similar
 * question recalls it into the prompt (on the offline model the answer echoes the prompt's start,
 * so the correction shows in the answer itself) and into a {@code memory_recall} event.
 */
final class DemoMemory {
  static final String SAMPLE = "ask-support";
  static final String AGENT = "demo-support";

  private DemoMemory() {}

  /** Creates agent {@value #AGENT} in the demo's tenant unless it exists (its memories stay). */
  static void seedAgent(Database database) {
    Demo.seedAgent(
        database,
        AGENT,
        "Demo support",
        "You answer customers of a small web shop: short, friendly, exact.",
        "Follow what you have learned from feedback over your own guesses.");
  }

  /** The welcome's lines for the sample, each API line carrying {@code admin}'s header. */
  static void printWelcome(PrintStream out, String base, String admin) {
    String processes = base + "/api/v1/processes";
    out.println(
        "7) An agent that learns: ask '"
            + SAMPLE
            + "' (agent '"
            + AGENT
            + "'), correct its answer with feedback, ask again:");
    out.println(Demo.curlPost(processes, admin, question("How long do refunds take?")));
    out.println("   Its answer, and its task's id (put it in place of TASK):");
    out.println("  curl -s " + base + "/api/v1/processes/ID" + admin);
    out.println("   Correct it (a pod embeds the correction within seconds):");
    out.println(
        Demo.curlPost(
            base + "/api/v1/tasks/TASK/feedback",
            admin,
            "{\"rating\":2,\"correction\":\"Refunds are paid within 2 business days.\"}"));
    out.println(
        "   Ask a similar question: the prompt carries the correction (the offline model's answer"
            + " shows it), and a memory_recall event names it:");
    out.println(Demo.curlPost(processes, admin, question("When will I get my refund?")));
    out.println("  curl -s " + base + "/api/v1/processes/ID/events" + admin);
  }

  private static String question(String question) {
    return "{\"definitionId\":\"" + SAMPLE + "\",\"input\":{\"question\":\"" + question + "\"}}";
  }
}
