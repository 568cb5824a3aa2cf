package io.fifoactors.core.port;

import java.util.Locale;
import java.util.Optional;

/**
 * Why an actor's record asks for an operator: the runtime sets these on every commit from the record's bookkeeping,
 * and a store may index them (the DynamoDB store keeps a sparse index of the records that carry any), so the
 * actors needing attention are listed without reading every record.
 *
 * <pre>{@code
 * if (record.attention().contains(Attention.PARKED)) { ... }
 * Attention.fromCode("parked"); // Optional[PARKED]
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public enum Attention {
    /** A message was parked: the actor holds its later messages until an operator unparks it (retry or skip). */
    PARKED,
    /** A message failed at least once and is being retried; it will be parked or dead-lettered if it keeps failing. */
    FAILING,
    /** The record passed {@link #LARGE_RECORD_BYTES} of the store's {@link StateStore#MAX_RECORD_BYTES} limit. */
    LARGE;

    /** The record size from which {@link #LARGE} is set: three quarters of {@link StateStore#MAX_RECORD_BYTES}. */
    public static final long LARGE_RECORD_BYTES = StateStore.MAX_RECORD_BYTES * 3 / 4;

    /** The stable lower-case name stores persist ({@code "parked"}, {@code "failing"}, {@code "large"}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of a persisted {@link #code()}; empty for a code this version does not know. */
    public static Optional<Attention> fromCode(String code) {
        for (Attention a : values()) {
            if (a.code().equals(code)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
