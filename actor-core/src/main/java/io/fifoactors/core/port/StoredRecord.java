package io.fifoactors.core.port;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link StateStore} keeps for one actor: a version (1 for the first commit, then +1 per commit), the state
 * bytes and the control bytes (applied-sequence mark, outbox, deduplication marks, stash), both produced by the
 * core so that every adapter stores the same payload, and the {@link Attention} reasons the runtime derived from the
 * control bytes (a store keeps them beside the record, where an index can find them; they are never read back by
 * the runtime).
 *
 * <pre>{@code
 * StoredRecord first = new StoredRecord(1, stateBytes, controlBytes);
 * StoredRecord parked = new StoredRecord(7, stateBytes, controlBytes, Set.of(Attention.PARKED));
 * }</pre>
 *
 * <p>Immutable by convention (arrays are shared, not copied; adapters copy at their boundary). Thread-safe under that
 * convention.
 */
public record StoredRecord(long version, byte[] state, byte[] control, Set<Attention> attention) {
    public StoredRecord {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(attention, "attention");
        attention = attention.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(attention));
    }

    /** A record that needs no attention. */
    public StoredRecord(long version, byte[] state, byte[] control) {
        this(version, state, control, Set.of());
    }

    /** The size that counts against {@link StateStore#MAX_RECORD_BYTES}. */
    public long sizeBytes() {
        return (long) state.length + control.length;
    }

    @Override
    public String toString() {
        return "StoredRecord[version=" + version + ", state=" + state.length + " B, control=" + control.length + " B"
                + (attention.isEmpty() ? "" : ", attention=" + attention) + "]";
    }
}
