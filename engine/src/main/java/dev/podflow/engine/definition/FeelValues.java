package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.camunda.feel.context.Context;
import org.camunda.feel.context.FunctionProvider;
import org.camunda.feel.context.VariableProvider;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ValBoolean;
import org.camunda.feel.syntaxtree.ValContext;
import org.camunda.feel.syntaxtree.ValList;
import org.camunda.feel.syntaxtree.ValNull$;
import org.camunda.feel.syntaxtree.ValNumber;
import org.camunda.feel.syntaxtree.ValString;
import scala.Option;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * JSON as FEEL values: an object is a context, an array a list, a number a number, a string a
 * string, a boolean a boolean, and JSON null (or nothing) is null. Objects are read lazily: a
 * condition that reads {@code output.score} maps that field and nothing else of a large output.
 *
 * <p>Every value handed to FEEL is a FEEL value built here, never a Java object, so FEEL's value
 * mapper never reaches Java objects by reflection; contexts provide no functions.
 */
final class FeelValues {
  private FeelValues() {}

  /** The FEEL value of {@code json}; {@code null} and missing nodes are FEEL null. */
  static Val of(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) return ValNull$.MODULE$;
    if (json.isObject()) return new ValContext(new JsonContext(json));
    if (json.isArray()) {
      List<Val> items = new ArrayList<>(json.size());
      for (JsonNode item : json) items.add(of(item));
      return new ValList(CollectionConverters.asScala(items).toList());
    }
    if (json.isNumber())
      return new ValNumber(new scala.math.BigDecimal(json.decimalValue(), MathContext.DECIMAL128));
    if (json.isBoolean()) return new ValBoolean(json.booleanValue());
    if (json.isTextual()) return new ValString(json.textValue());
    return ValNull$.MODULE$; // binary and POJO nodes do not come out of JSON text
  }

  /** A context with fixed entries, e.g. {@code process} with its {@code input}. */
  static Val context(VariableProvider variables) {
    return new ValContext(new Scope(variables));
  }

  /** The entries of a JSON object, mapped when they are read. */
  private record JsonContext(JsonNode object) implements Context, VariableProvider {
    @Override
    public Option<Object> getVariable(String name) {
      JsonNode value = object.get(name);
      return value == null ? Option.empty() : Option.apply(of(value));
    }

    @Override
    public Iterable<String> keys() {
      List<String> names = new ArrayList<>(object.size());
      object.fieldNames().forEachRemaining(names::add);
      return CollectionConverters.asScala(names);
    }

    @Override
    public VariableProvider variableProvider() {
      return this;
    }

    @Override
    public FunctionProvider functionProvider() {
      return FunctionProvider.EmptyFunctionProvider$.MODULE$;
    }
  }

  /** A context over a variable provider, without functions. */
  record Scope(VariableProvider variables) implements Context {
    @Override
    public VariableProvider variableProvider() {
      return variables;
    }

    @Override
    public FunctionProvider functionProvider() {
      return FunctionProvider.EmptyFunctionProvider$.MODULE$;
    }
  }
}
