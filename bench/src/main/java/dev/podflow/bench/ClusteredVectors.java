package dev.podflow.bench;

import dev.podflow.memory.embedding.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Synthetic embeddings for the memory scenario, from a fixed seed: unit vectors in {@value
 * #CLUSTERS} clusters (memories about one topic lie near each other, as real ones do), so that the
 * ten nearest of a query are a close race an approximate index can lose, unlike in uniform noise
 * where every vector is about as far as every other. A member lies at a cosine of about 0.75 from
 * its cluster's centre, a query at about 0.75 from a member it was drawn near.
 */
final class ClusteredVectors {
  static final int DIMENSION = Embedder.DIMENSION;
  static final int CLUSTERS = 300;
  private static final long SEED = 15;
  private static final double SPREAD = 0.045; // per component: |noise| ≈ 0.045 × √384 ≈ 0.88

  private final float[][] vectors;

  private ClusteredVectors(float[][] vectors) {
    this.vectors = vectors;
  }

  /** {@code count} vectors, the same in every run. */
  static ClusteredVectors generate(int count) {
    Random random = new Random(SEED);
    float[][] centres = new float[CLUSTERS][];
    for (int c = 0; c < CLUSTERS; c++) centres[c] = unit(gaussian(random, 1.0));
    float[][] vectors = new float[count][];
    for (int i = 0; i < count; i++) {
      vectors[i] = near(centres[random.nextInt(CLUSTERS)], random);
    }
    return new ClusteredVectors(vectors);
  }

  int size() {
    return vectors.length;
  }

  float[] get(int i) {
    return vectors[i];
  }

  /** {@code count} queries, each near a vector drawn at random, the same in every run. */
  List<float[]> queries(int count) {
    Random random = new Random(SEED + 1);
    List<float[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(near(vectors[random.nextInt(vectors.length)], random));
    return out;
  }

  /**
   * The indexes of the {@code k} vectors most cosine-similar to {@code query}, by an exact scan
   * (all are unit vectors, so cosine is the dot product, summed in double).
   */
  int[] nearest(float[] query, int k) {
    int[] best = new int[k];
    double[] scores = new double[k];
    Arrays.fill(scores, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < vectors.length; i++) {
      double s = dot(query, vectors[i]);
      if (s <= scores[k - 1]) continue;
      int j = k - 1;
      for (; j > 0 && scores[j - 1] < s; j--) {
        scores[j] = scores[j - 1];
        best[j] = best[j - 1];
      }
      scores[j] = s;
      best[j] = i;
    }
    return best;
  }

  private static float[] near(float[] centre, Random random) {
    float[] noise = gaussian(random, SPREAD);
    for (int d = 0; d < DIMENSION; d++) noise[d] += centre[d];
    return unit(noise);
  }

  private static float[] gaussian(Random random, double sigma) {
    float[] v = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) v[d] = (float) (random.nextGaussian() * sigma);
    return v;
  }

  private static float[] unit(float[] v) {
    double norm = Math.sqrt(dot(v, v));
    for (int d = 0; d < DIMENSION; d++) v[d] = (float) (v[d] / norm);
    return v;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int d = 0; d < DIMENSION; d++) sum += (double) a[d] * b[d];
    return sum;
  }
}
