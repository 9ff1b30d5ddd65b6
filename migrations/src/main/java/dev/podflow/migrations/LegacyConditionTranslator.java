package dev.podflow.migrations;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites a condition of Podflow's first, home-made condition language (before FEEL) as FEEL text,
 * for the migration of stored definitions. A translator, not an evaluator: it reads the old grammar
 *
 * <pre>
 * or := and ("||" and)*     and := comparison ("&amp;&amp;" comparison)*
 * comparison := unary (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") unary)?
 * unary := "!" unary | "(" or ")" | number | 'text' | "text" | true | false | null | path
 * path := ("output" | "process.input") ("." name-or-index)*
 * </pre>
 *
 * and writes FEEL that takes the same transitions, whatever the data: {@code ==} is {@code =},
 * {@code &&} and {@code ||} are {@code and} and {@code or}; a bare value tested for truth is
 * compared with {@code true} ({@code output.ok} becomes {@code output.ok = true}, false rather than
 * null when the field is missing); {@code !x} becomes {@code (x = true) != true} and {@code a != b}
 * becomes {@code (a = b) != true} (FEEL's {@code not(x)} and {@code !=} are null for a missing x or
 * values of different types, where the old ones were true); strings take double quotes; numbers
 * lose their exponent ({@code 1e2} is {@code 100}); an index {@code .0} becomes {@code [1]} (FEEL
 * lists count from 1) and a name FEEL cannot read is written in backticks ({@code output.`a-b`}).
 * Three corners differ: an all-digit segment is a list index even on an object (the old language
 * read a field named "0" there); a name after a list collects that field of every item (the old
 * language gave null); and FEEL 1.21 fails a whole condition that orders two non-empty lists
 * ({@code <}, {@code <=}, {@code >}, {@code >=}), which the old language called false.
 */
public final class LegacyConditionTranslator {
  private static final Pattern FEEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Words FEEL reads as keywords (or may), written in backticks when they are field names. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "null",
          "true",
          "false",
          "function",
          "in",
          "return",
          "then",
          "else",
          "satisfies",
          "and",
          "or",
          "if",
          "for",
          "some",
          "every",
          "between",
          "instance",
          "of",
          "not",
          "external");

  private final String source;
  private final List<String> tokens = new ArrayList<>();
  private int position;

  private LegacyConditionTranslator(String source) {
    this.source = source;
  }

  /**
   * The FEEL text of an old condition.
   *
   * @throws IllegalArgumentException when {@code old} is not a condition of the old language
   */
  public static String toFeel(String old) {
    LegacyConditionTranslator translator = new LegacyConditionTranslator(old);
    translator.lex();
    Node condition = translator.or();
    if (translator.position != translator.tokens.size()) {
      throw translator.error("unexpected '" + translator.tokens.get(translator.position) + "'");
    }
    return condition.test(0);
  }

  // ------------------------------------------------------------------ the old condition, parsed

  /**
   * A parsed old expression. The old operators always gave {@code true} or {@code false}; FEEL's
   * give {@code null} when a value is missing or of another type. So {@link #test} is FEEL that is
   * {@code true} exactly when the old expression was, and {@code false} or {@code null} otherwise,
   * which is all a transition asks; where the old value itself matters (under {@code !}, as an
   * operand of a comparison) the translation compares with {@code true}, which turns null into
   * false: {@code (x = true) != true} is exactly {@code !x}.
   */
  private sealed interface Node {
    /** True exactly when the old expression was; inside operators of {@code minPrecedence}. */
    String test(int minPrecedence);

    /** The old value: for a path or literal itself, for an operator exactly true or false. */
    default String value() {
      return "(" + test(COMPARISON + 1) + " = true)";
    }
  }

  private static final int OR = 1, AND = 2, COMPARISON = 3;

  private static String wrap(String feel, int precedence, int minPrecedence) {
    return precedence < minPrecedence ? "(" + feel + ")" : feel;
  }

  private record Logic(String operator, List<Node> operands) implements Node {
    @Override
    public String test(int minPrecedence) {
      int precedence = operator.equals("or") ? OR : AND;
      List<String> parts = operands.stream().map(o -> o.test(precedence + 1)).toList();
      return wrap(String.join(" " + operator + " ", parts), precedence, minPrecedence);
    }
  }

  private record Not(Node operand) implements Node {
    @Override
    public String test(int minPrecedence) {
      return wrap(operand.test(COMPARISON + 1) + " != true", COMPARISON, minPrecedence);
    }

    @Override
    public String value() {
      return "(" + test(0) + ")";
    }
  }

  private record Compare(String operator, Node left, Node right) implements Node {
    @Override
    public String test(int minPrecedence) {
      String l = left.value(), r = right.value();
      boolean againstNull = l.equals("null") || r.equals("null");
      String feel =
          operator.equals("!=") && !againstNull
              ? "(" + l + " = " + r + ") != true" // a != b is null in FEEL for different types
              : l + " " + operator + " " + r;
      return wrap(feel, COMPARISON, minPrecedence);
    }
  }

  /** A path or literal; {@code bool} for true and false, which are tested as they are. */
  private record Operand(String feel, boolean bool) implements Node {
    @Override
    public String test(int minPrecedence) {
      return bool ? feel : wrap(feel + " = true", COMPARISON, minPrecedence);
    }

    @Override
    public String value() {
      return feel;
    }
  }

  private Node or() {
    List<Node> operands = new ArrayList<>(List.of(and()));
    while (accept("||")) operands.add(and());
    return operands.size() == 1 ? operands.getFirst() : new Logic("or", operands);
  }

  private Node and() {
    List<Node> operands = new ArrayList<>(List.of(comparison()));
    while (accept("&&")) operands.add(comparison());
    return operands.size() == 1 ? operands.getFirst() : new Logic("and", operands);
  }

  private Node comparison() {
    Node left = unary();
    for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
      if (accept(op)) return new Compare(op.equals("==") ? "=" : op, left, unary());
    }
    return left;
  }

  private Node unary() {
    if (position >= tokens.size()) throw error("expected a value, found the end");
    String token = tokens.get(position++);
    if (token.equals("!")) return new Not(unary());
    if (token.equals("(")) {
      Node inner = or();
      if (!accept(")")) throw error("expected ')'");
      return inner;
    }
    char first = token.charAt(0);
    if (first == '\'' || first == '"') return new Operand(string(token), false);
    if (first == '-' || Character.isDigit(first)) return new Operand(number(token), false);
    return switch (token) {
      case "true", "false" -> new Operand(token, true);
      case "null" -> new Operand(token, false);
      default -> new Operand(path(token), false);
    };
  }

  private boolean accept(String token) {
    if (position < tokens.size() && tokens.get(position).equals(token)) {
      position++;
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ FEEL text of operands

  /** {@code output.a-b.0} → {@code output.`a-b`[1]}; {@code process.input.x} stays. */
  private String path(String token) {
    String[] segments = token.split("\\.", -1);
    int start = segments[0].equals("process") ? 2 : 1;
    if (!segments[0].equals("output")
        && !(start == 2 && segments.length >= 2 && segments[1].equals("input"))) {
      throw error("unknown name '" + token + "'");
    }
    StringBuilder feel = new StringBuilder(start == 2 ? "process.input" : "output");
    for (int i = start; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) throw error("empty segment in '" + token + "'");
      if (segment.length() <= 9 && segment.chars().allMatch(Character::isDigit)) {
        feel.append('[').append(Integer.parseInt(segment) + 1).append(']');
      } else if (FEEL_NAME.matcher(segment).matches() && !KEYWORDS.contains(segment)) {
        feel.append('.').append(segment);
      } else {
        feel.append(".`").append(segment).append('`');
      }
    }
    return feel.toString();
  }

  /** A number without exponent; an absurdly large or small one as a power of ten. */
  private String number(String token) {
    BigDecimal value;
    try {
      value = new BigDecimal(token);
    } catch (NumberFormatException e) {
      throw error("'" + token + "' is not a number");
    }
    String plain = value.toPlainString();
    if (plain.length() <= 100) return plain;
    return "(" + value.unscaledValue() + " * 10 ** " + (-value.scale()) + ")";
  }

  /**
   * A FEEL string of the old literal's value. FEEL 1.21 unescapes {@code \"} after a backslash
   * wrongly, so a value with double quotes is joined from parts around {@code "\""}.
   */
  private String string(String token) {
    String value = unquote(token);
    List<String> parts = new ArrayList<>();
    for (String part : value.split("\"", -1)) {
      parts.add('"' + part.replace("\\", "\\\\") + '"');
    }
    return parts.size() == 1 ? parts.getFirst() : "(" + String.join(" + \"\\\"\" + ", parts) + ")";
  }

  private String unquote(String token) {
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < token.length() - 1; i++) {
      char c = token.charAt(i);
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = token.charAt(++i);
      switch (escaped) {
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case 'r' -> value.append('\r');
        case 'u' -> {
          value.append((char) Integer.parseInt(token.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> value.append(escaped); // \\ \' \" \/
      }
    }
    return value.toString();
  }

  // ------------------------------------------------------------------ tokens

  private void lex() {
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      int end;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (source.startsWith("&&", i)
          || source.startsWith("||", i)
          || source.startsWith("==", i)
          || source.startsWith("!=", i)
          || source.startsWith("<=", i)
          || source.startsWith(">=", i)) {
        end = i + 2;
      } else if ("()!<>".indexOf(c) >= 0) {
        end = i + 1;
      } else if (c == '\'' || c == '"') {
        end = i + 1;
        while (end < source.length() && source.charAt(end) != c) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= source.length()) throw error("unterminated string");
        end++;
      } else if (c == '-' || Character.isDigit(c)) {
        end = i + 1;
        while (end < source.length() && isNumberPart(source, end)) end++;
      } else if (Character.isLetter(c) || c == '_') {
        end = i + 1;
        while (end < source.length() && isPathPart(source.charAt(end))) end++;
      } else {
        throw error("unexpected character '" + c + "'");
      }
      tokens.add(source.substring(i, end));
      i = end;
    }
  }

  private static boolean isNumberPart(String s, int i) {
    char c = s.charAt(i);
    if (Character.isDigit(c) || c == '.' || c == 'e' || c == 'E') return true;
    char before = s.charAt(i - 1);
    return (c == '+' || c == '-') && (before == 'e' || before == 'E');
  }

  private static boolean isPathPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
  }

  private IllegalArgumentException error(String problem) {
    return new IllegalArgumentException(
        "not a condition of the old language: " + problem + " in '" + source + "'");
  }
}
