package dev.podflow.engine.definition;

import java.util.Set;

/**
 * Names of the orchestrators Podflow ships, whose configs {@link DefinitionParser} checks on
 * upload. Pods look orchestrators up by these names.
 */
public final class BuiltinOrchestrators {
  /** Output = input; reads no config. */
  public static final String NOOP = "noop";

  /** Waits {@code config.ms} milliseconds (a whole number from 0 to one day). */
  public static final String SLEEP = "sleep";

  /** Hands the task to a person: {@code {"assignee", "form"?}}. */
  public static final String HUMAN = "human";

  /** One agent, one LLM step: {@code {"agent", "prompt", "outputSchema"?, "maxSteps"?}}. */
  public static final String LLM_ACTION = "llm-action";

  /** Plan, research, analyse, critique, write: {@code {"prompt", "maxQuestions"?, "agents"?}}. */
  public static final String DEEP_RESEARCH = "deep-research";

  /** Runs another definition as a child process: {@code {"definition", "version"?}}. */
  public static final String SUBPROCESS = "subprocess";

  /** The roles of a {@code deep-research} step that {@code config.agents} may assign. */
  public static final Set<String> DEEP_RESEARCH_ROLES =
      Set.of("planner", "researcher", "analyst", "critic", "writer");

  /** The most model calls {@code llm-action}'s {@code maxSteps} may allow. */
  public static final int LLM_MAX_STEPS = 50;

  /** The most sub-questions {@code deep-research}'s {@code maxQuestions} may ask for. */
  public static final int DEEP_RESEARCH_MAX_QUESTIONS = 12;

  /** {@code deep-research}'s {@code maxQuestions} when the config leaves it out. */
  public static final int DEEP_RESEARCH_DEFAULT_QUESTIONS = 4;

  /** The longest {@code sleep} the {@code sleep} orchestrator accepts, in milliseconds. */
  public static final long SLEEP_MAX_MS = 24L * 60 * 60 * 1000;

  private BuiltinOrchestrators() {}
}
