package dev.podflow.store.auth;

/** A key with the SHA-256 of its secret part, read only to check a presented key. */
public record StoredApiKey(ApiKey key, byte[] secretHash) {}
