package dev.podflow.store.memory;

/** How an embedding travels to SQL: a {@code real[]} literal such as {@code {0.1,-0.25}}. */
public final class Vectors {
  private Vectors() {}

  /** {@code vector} as a {@code real[]} literal (Float.toString's exponents are valid input). */
  public static String literal(float[] vector) {
    StringBuilder out = new StringBuilder(vector.length * 12).append('{');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) out.append(',');
      float v = vector[i];
      if (!Float.isFinite(v)) throw new IllegalArgumentException("a vector holds " + v);
      out.append(v);
    }
    return out.append('}').toString();
  }
}
