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
 * The variables of the conditions of one completion: {@code output} (the completed step's output),
 * {@code process.input} (the instance's input) and {@code steps.<activity id>} ({@link
 * CompletedStep#toJson()} of the latest DONE pass of each activity). Values are mapped to FEEL when
 * a condition reads them ({@link FeelValues}). Made per completion, on one thread.
 */
public final class ConditionScope implements Context, VariableProvider {
  private static final Iterable<String> NAMES =
      CollectionConverters.asScala(java.util.List.of("output", "process", "steps"));

  private final JsonNode output;
  private final JsonNode processInput;
  private final Map<String, CompletedStep> steps;

  /**
   * @param steps the latest pass of each activity; empty when no condition reads {@code steps}
   */
  public ConditionScope(JsonNode output, JsonNode processInput, Map<String, CompletedStep> steps) {
    this.output = output;
    this.processInput = processInput;
    this.steps = Map.copyOf(steps);
  }

  @Override
  public Option<Object> getVariable(String name) {
    return switch (name) {
      case "output" -> Option.apply(FeelValues.of(output));
      case "process" -> Option.apply(FeelValues.context(new Process()));
      case "steps" -> Option.apply(FeelValues.context(new Steps()));
      default -> Option.empty();
    };
  }

  @Override
  public Iterable<String> keys() {
    return NAMES;
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
