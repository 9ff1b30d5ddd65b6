package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The condition of a transition, a small expression over the completed step's output and the
 * process input. Grammar (lowest precedence first):
 *
 * <pre>
 * condition  := or
 * or         := and ( "||" and )*
 * and        := comparison ( "&amp;&amp;" comparison )*
 * comparison := unary ( ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) unary )?
 * unary      := "!" unary | "(" or ")" | literal | path
 * literal    := number | 'text' | "text" | true | false | null
 * path       := ( "output" | "process.input" ) ( "." ( name | index ) )*
 * </pre>
 *
 * <p>Evaluation never fails: a path that names nothing is {@code null}; {@code ==} and {@code !=}
 * are JSON equality (numbers compare by value, so {@code 1 == 1.0}; arrays and objects compare
 * element by element); {@code < <= > >=} order two numbers or two strings (by UTF-16 code units)
 * and are false for any other pair. {@code !}, {@code &&}, {@code ||} and the condition as a whole
 * treat only the boolean {@code true} as true: {@code output.approved} holds only when it is {@code
 * true}, not for {@code 1}, {@code "yes"} or a non-empty object. Immutable and thread-safe; two
 * conditions are equal when their source texts are.
 */
public final class Condition {
  /** Longest condition text accepted. */
  public static final int MAX_LENGTH = 2000;

  /** Deepest nesting of parentheses and {@code !} accepted. */
  static final int MAX_DEPTH = 50;

  private final String source;
  private final Expr expr;

  private Condition(String source, Expr expr) {
    this.source = source;
    this.expr = expr;
  }

  /**
   * Parses {@code source}.
   *
   * @throws ConditionSyntaxException saying at which column what was expected
   */
  public static Condition parse(String source) {
    if (source == null || source.isBlank()) {
      throw new ConditionSyntaxException(
          source, 1, "at column 1: expected a condition, found nothing");
    }
    if (source.length() > MAX_LENGTH) {
      throw new ConditionSyntaxException(
          source,
          MAX_LENGTH + 1,
          "at column "
              + (MAX_LENGTH + 1)
              + ": the condition is longer than "
              + MAX_LENGTH
              + " characters");
    }
    return new Condition(source, new Parser(source).parseCondition());
  }

  /** Whether the condition holds for the step's {@code output} and the process's input. */
  public boolean test(JsonNode output, JsonNode processInput) {
    return truthy(expr.eval(output, processInput));
  }

  /** The text the condition was parsed from; it is also its JSON form. */
  @JsonValue
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition other && other.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }

  // ---------------------------------------------------------------- evaluation

  private sealed interface Expr permits Literal, Path, Not, And, Or, Compare {
    JsonNode eval(JsonNode output, JsonNode processInput);
  }

  private record Literal(JsonNode value) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode processInput) {
      return value;
    }
  }

  private record Path(boolean processInput, List<String> segments) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode input) {
      JsonNode node = processInput ? input : output;
      for (String segment : segments) {
        if (node == null) break;
        if (node.isArray()) {
          node = isIndex(segment) ? node.get(Integer.parseInt(segment)) : null;
        } else if (node.isObject()) {
          node = node.get(segment);
        } else {
          node = null;
        }
      }
      return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
    }

    private static boolean isIndex(String segment) {
      return segment.length() <= 9 && segment.chars().allMatch(c -> c >= '0' && c <= '9');
    }
  }

  private record Not(Expr operand) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode processInput) {
      return BooleanNode.valueOf(!truthy(operand.eval(output, processInput)));
    }
  }

  private record And(Expr left, Expr right) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode processInput) {
      return BooleanNode.valueOf(
          truthy(left.eval(output, processInput)) && truthy(right.eval(output, processInput)));
    }
  }

  private record Or(Expr left, Expr right) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode processInput) {
      return BooleanNode.valueOf(
          truthy(left.eval(output, processInput)) || truthy(right.eval(output, processInput)));
    }
  }

  private enum Op {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String text;

    Op(String text) {
      this.text = text;
    }
  }

  private record Compare(Op op, Expr left, Expr right) implements Expr {
    @Override
    public JsonNode eval(JsonNode output, JsonNode processInput) {
      JsonNode a = left.eval(output, processInput);
      JsonNode b = right.eval(output, processInput);
      boolean result =
          switch (op) {
            case EQ -> jsonEquals(a, b);
            case NE -> !jsonEquals(a, b);
            case LT -> order(a, b) != null && order(a, b) < 0;
            case LE -> order(a, b) != null && order(a, b) <= 0;
            case GT -> order(a, b) != null && order(a, b) > 0;
            case GE -> order(a, b) != null && order(a, b) >= 0;
          };
      return BooleanNode.valueOf(result);
    }
  }

  private static boolean truthy(JsonNode value) {
    return value != null && value.isBoolean() && value.booleanValue();
  }

  /** JSON equality with numbers compared by value. */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return decimal(a).compareTo(decimal(b)) == 0;
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) {
        if (!jsonEquals(a.get(i), b.get(i))) return false;
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode other = b.get(field.getKey());
        if (other == null || !jsonEquals(field.getValue(), other)) return false;
      }
      return true;
    }
    return a.equals(b);
  }

  /** Negative, zero or positive for two numbers or two strings; null for anything else. */
  private static Integer order(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return decimal(a).compareTo(decimal(b));
    if (a.isTextual() && b.isTextual()) return a.textValue().compareTo(b.textValue());
    return null;
  }

  private static BigDecimal decimal(JsonNode number) {
    if (number.isDouble() || number.isFloat()) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) return BigDecimal.ZERO; // not JSON anyway
      return BigDecimal.valueOf(d);
    }
    return number.decimalValue();
  }

  // ---------------------------------------------------------------- parsing

  private enum Kind {
    LPAREN,
    RPAREN,
    AND,
    OR,
    NOT,
    OP,
    LITERAL,
    PATH,
    END
  }

  private record Token(Kind kind, String text, int column, Op op, Expr expr) {
    String describe() {
      return kind == Kind.END ? "the end of the condition" : "'" + text + "'";
    }
  }

  /** A recursive-descent parser over a hand-written lexer; one per {@link #parse} call. */
  private static final class Parser {
    private static final String VALUE =
        "a value (a path starting with 'output' or 'process.input', a number, a quoted string,"
            + " true, false, null, '!' or '(')";

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int position;
    private int depth;

    Parser(String source) {
      this.source = source;
      lex();
    }

    Expr parseCondition() {
      Expr expr = or();
      Token next = peek();
      if (next.kind != Kind.END) {
        throw error(next, "'&&', '||', a comparison operator or the end of the condition");
      }
      return expr;
    }

    private Expr or() {
      Expr left = and();
      while (peek().kind == Kind.OR) {
        position++;
        left = new Or(left, and());
      }
      return left;
    }

    private Expr and() {
      Expr left = comparison();
      while (peek().kind == Kind.AND) {
        position++;
        left = new And(left, comparison());
      }
      return left;
    }

    private Expr comparison() {
      Expr left = unary();
      if (peek().kind == Kind.OP) {
        Op op = tokens.get(position++).op;
        Expr right = unary();
        if (peek().kind == Kind.OP) {
          throw error(
              peek(),
              "'&&', '||', ')' or the end of the condition (comparisons do not chain; use"
                  + " parentheses)");
        }
        return new Compare(op, left, right);
      }
      return left;
    }

    private Expr unary() {
      Token token = peek();
      switch (token.kind) {
        case NOT -> {
          position++;
          enter(token);
          Expr operand = unary();
          depth--;
          return new Not(operand);
        }
        case LPAREN -> {
          position++;
          enter(token);
          Expr inner = or();
          Token close = peek();
          if (close.kind != Kind.RPAREN) {
            throw error(
                close, "')' to close the '(' at column " + token.column + ", or '&&', '||'");
          }
          position++;
          depth--;
          return inner;
        }
        case LITERAL, PATH -> {
          position++;
          return token.expr;
        }
        default -> throw error(token, VALUE);
      }
    }

    private void enter(Token token) {
      if (++depth > MAX_DEPTH) {
        throw new ConditionSyntaxException(
            source,
            token.column,
            "at column " + token.column + ": nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    private Token peek() {
      return tokens.get(position);
    }

    private ConditionSyntaxException error(Token found, String expected) {
      return new ConditionSyntaxException(
          source,
          found.column,
          "at column " + found.column + ": expected " + expected + ", found " + found.describe());
    }

    private ConditionSyntaxException error(int index, String message) {
      return new ConditionSyntaxException(
          source, index + 1, "at column " + (index + 1) + ": " + message);
    }

    // ------------------------------------------------------------ lexing

    private void lex() {
      int i = 0;
      int n = source.length();
      while (i < n) {
        char c = source.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(') {
          tokens.add(new Token(Kind.LPAREN, "(", i + 1, null, null));
          i++;
        } else if (c == ')') {
          tokens.add(new Token(Kind.RPAREN, ")", i + 1, null, null));
          i++;
        } else if (source.startsWith("&&", i)) {
          tokens.add(new Token(Kind.AND, "&&", i + 1, null, null));
          i += 2;
        } else if (source.startsWith("||", i)) {
          tokens.add(new Token(Kind.OR, "||", i + 1, null, null));
          i += 2;
        } else if (source.startsWith("==", i)) {
          tokens.add(new Token(Kind.OP, "==", i + 1, Op.EQ, null));
          i += 2;
        } else if (source.startsWith("!=", i)) {
          tokens.add(new Token(Kind.OP, "!=", i + 1, Op.NE, null));
          i += 2;
        } else if (source.startsWith("<=", i)) {
          tokens.add(new Token(Kind.OP, "<=", i + 1, Op.LE, null));
          i += 2;
        } else if (source.startsWith(">=", i)) {
          tokens.add(new Token(Kind.OP, ">=", i + 1, Op.GE, null));
          i += 2;
        } else if (c == '<') {
          tokens.add(new Token(Kind.OP, "<", i + 1, Op.LT, null));
          i++;
        } else if (c == '>') {
          tokens.add(new Token(Kind.OP, ">", i + 1, Op.GT, null));
          i++;
        } else if (c == '!') {
          tokens.add(new Token(Kind.NOT, "!", i + 1, null, null));
          i++;
        } else if (c == '\'' || c == '"') {
          i = string(i);
        } else if (c == '-' || isDigit(c)) {
          i = number(i);
        } else if (isNameStart(c)) {
          i = word(i);
        } else if (c == '=' || c == '&' || c == '|') {
          throw error(i, "expected '" + c + c + "', found '" + c + "' alone");
        } else {
          throw error(i, "unexpected character '" + c + "'; expected " + VALUE);
        }
      }
      tokens.add(new Token(Kind.END, "", n + 1, null, null));
    }

    private int string(int start) {
      char quote = source.charAt(start);
      StringBuilder text = new StringBuilder();
      int i = start + 1;
      while (i < source.length()) {
        char c = source.charAt(i);
        if (c == quote) {
          tokens.add(
              new Token(
                  Kind.LITERAL,
                  source.substring(start, i + 1),
                  start + 1,
                  null,
                  new Literal(JsonNodeFactory.instance.textNode(text.toString()))));
          return i + 1;
        }
        if (c == '\\') {
          if (i + 1 >= source.length()) break;
          char escaped = source.charAt(i + 1);
          switch (escaped) {
            case '\\', '\'', '"', '/' -> text.append(escaped);
            case 'n' -> text.append('\n');
            case 't' -> text.append('\t');
            case 'r' -> text.append('\r');
            case 'u' -> {
              if (i + 6 > source.length()
                  || !source.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                throw error(i, "expected four hex digits after \\u");
              }
              text.append((char) Integer.parseInt(source.substring(i + 2, i + 6), 16));
              i += 4;
            }
            default ->
                throw error(
                    i,
                    "unknown escape '\\"
                        + escaped
                        + "'; expected one of \\\\ \\' \\\" \\/ \\n \\t \\r \\uXXXX");
          }
          i += 2;
        } else {
          text.append(c);
          i++;
        }
      }
      throw error(start, "expected the closing " + quote + " of the string starting here");
    }

    private int number(int start) {
      int i = start;
      if (source.charAt(i) == '-') i++;
      int digits = i;
      while (i < source.length() && isDigit(source.charAt(i))) i++;
      if (i == digits) throw error(start, "expected a number after '-'");
      if (i < source.length() && source.charAt(i) == '.') {
        int fraction = ++i;
        while (i < source.length() && isDigit(source.charAt(i))) i++;
        if (i == fraction) throw error(fraction - 1, "expected digits after the decimal point");
      }
      if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
        int exponent = ++i;
        if (i < source.length() && (source.charAt(i) == '+' || source.charAt(i) == '-')) i++;
        int expDigits = i;
        while (i < source.length() && isDigit(source.charAt(i))) i++;
        if (i == expDigits) throw error(exponent - 1, "expected digits in the exponent");
      }
      if (i < source.length() && isNameStart(source.charAt(i))) {
        throw error(i, "expected an operator or space after the number, found a letter");
      }
      String text = source.substring(start, i);
      BigDecimal value;
      try {
        value = new BigDecimal(text);
      } catch (NumberFormatException | ArithmeticException e) {
        throw error(start, "'" + text + "' is not a usable number");
      }
      tokens.add(
          new Token(
              Kind.LITERAL,
              text,
              start + 1,
              null,
              new Literal(JsonNodeFactory.instance.numberNode(value))));
      return i;
    }

    private int word(int start) {
      int i = start;
      while (i < source.length() && isNamePart(source.charAt(i))) i++;
      String name = source.substring(start, i);
      switch (name) {
        case "true", "false" -> {
          tokens.add(
              new Token(
                  Kind.LITERAL,
                  name,
                  start + 1,
                  null,
                  new Literal(BooleanNode.valueOf(name.equals("true")))));
          return i;
        }
        case "null" -> {
          tokens.add(
              new Token(Kind.LITERAL, name, start + 1, null, new Literal(NullNode.getInstance())));
          return i;
        }
        case "output", "process" -> {
          boolean processInput = name.equals("process");
          List<String> segments = new ArrayList<>();
          while (i < source.length() && source.charAt(i) == '.') {
            int segmentStart = i + 1;
            int end = segmentStart;
            while (end < source.length() && isSegmentPart(source.charAt(end))) end++;
            if (end == segmentStart) {
              throw error(segmentStart, "expected a field name or an index after '.'");
            }
            segments.add(source.substring(segmentStart, end));
            i = end;
          }
          if (processInput) {
            if (segments.isEmpty() || !segments.getFirst().equals("input")) {
              throw error(
                  start,
                  "expected 'process.input' (the process input is the only root of process)");
            }
            segments.removeFirst();
          }
          tokens.add(
              new Token(
                  Kind.PATH,
                  source.substring(start, i),
                  start + 1,
                  null,
                  new Path(processInput, List.copyOf(segments))));
          return i;
        }
        default ->
            throw error(
                start,
                "unknown name '"
                    + name
                    + "'; expected a path starting with 'output' or 'process.input', or true,"
                    + " false, null (strings need quotes)");
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
      return isNameStart(c) || isDigit(c);
    }

    private static boolean isSegmentPart(char c) {
      return isNamePart(c) || c == '-';
    }
  }
}
