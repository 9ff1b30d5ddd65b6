package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.camunda.feel.context.Context;
import org.camunda.feel.context.FunctionProvider;
import org.camunda.feel.context.VariableProvider;
import scala.Option;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The variables of a FEEL expression. For the conditions of one completion: {@code output} (the
 * completed step's output), {@code process.input} (the instance's input) and {@code steps.<activity
 * id>} ({@link CompletedStep#toJson()} of the latest DONE pass of each activity). For the arguments
 * of a step that is about to run ({@link #beforeStep}): {@code input} (the step's input) instead of
 * {@code output}. Values are mapped to FEEL when an expression reads them ({@link FeelValues}).
 * Made per evaluation, on one thread.
 */
public final class ConditionScope implements Context, VariableProvider {
  private final String currentName;
  private final JsonNode current;
  private final JsonNode processInput;
  private final Map<String, CompletedStep> steps;

  /**
   * @param steps the latest pass of each activity; empty when no condition reads {@code steps}
   */
  public ConditionScope(JsonNode output, JsonNode processInput, Map<String, CompletedStep> steps) {
    this("output", output, processInput, steps);
  }

  private ConditionScope(
      String currentName,
      JsonNode current,
      JsonNode processInput,
      Map<String, CompletedStep> steps) {
    this.currentName = currentName;
    this.current = current;
    this.processInput = processInput;
    this.steps = Map.copyOf(steps);
  }

  /** The scope of a step about to run with {@code input}: {@code input}, process, steps. */
  public static ConditionScope beforeStep(
      JsonNode input, JsonNode processInput, Map<String, CompletedStep> steps) {
    return new ConditionScope("input", input, processInput, steps);
  }

  @Override
  public Option<Object> getVariable(String name) {
    if (name.equals(currentName)) return Option.apply(FeelValues.of(current));
    return switch (name) {
      case "process" -> Option.apply(FeelValues.context(new Process()));
      case "steps" -> Option.apply(FeelValues.context(new Steps()));
      default -> Option.empty();
    };
  }

  @Override
  public Iterable<String> keys() {
    return CollectionConverters.asScala(java.util.List.of(currentName, "process", "steps"));
  }

  @Override
  public VariableProvider variableProvider() {
    return this;
  }

  @Override
  public FunctionProvider functionProvider() {
    return FunctionProvider.EmptyFunctionProvider$.MODULE$;
  }

  /** {@code process}: only {@code input} for now. */
  private final class Process implements VariableProvider {
    @Override
    public Option<Object> getVariable(String name) {
      return name.equals("input") ? Option.apply(FeelValues.of(processInput)) : Option.empty();
    }

    @Override
    public Iterable<String> keys() {
      return CollectionConverters.asScala(java.util.List.of("input"));
    }
  }

  /** {@code steps}: activity id → its latest pass. */
  private final class Steps implements VariableProvider {
    @Override
    public Option<Object> getVariable(String activityId) {
      CompletedStep step = steps.get(activityId);
      return step == null ? Option.empty() : Option.apply(FeelValues.of(step.toJson()));
    }

    @Override
    public Iterable<String> keys() {
      return CollectionConverters.asScala(steps.keySet());
    }
  }
}
