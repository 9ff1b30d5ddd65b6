package dev.podflow.engine.definition;

import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.Json;
import java.util.List;

/** How tests read why a definition is refused (shared with the plug-ins' tests: the test jar). */
public final class Refusals {
  private Refusals() {}

  /** Every problem {@code parser} finds in {@code json}, which it must refuse. */
  public static List<Violation> violations(DefinitionParser parser, String json) {
    try {
      parser.parse(Json.parse(json));
    } catch (InvalidDefinitionException e) {
      return e.violations();
    }
    throw new AssertionError("expected the definition to be refused: " + json);
  }
}
