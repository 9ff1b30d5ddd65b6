package dev.podflow.memory.embedding;

/** The embedding model or endpoint failed; the message says which and why, never a key. */
public final class EmbeddingFailedException extends RuntimeException {
  public EmbeddingFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
