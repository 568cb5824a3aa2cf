package io.fifoactors.core.port;

import java.util.Objects;

/**
 * What a {@link StateStore} keeps for one actor: a version (1 for the first commit, then +1 per commit), the state
 * bytes and the control bytes (applied-sequence mark, outbox, deduplication marks, stash), both produced by the
 * core so that every adapter stores the same payload.
 *
 * <pre>{@code
 * StoredRecord first = new StoredRecord(1, stateBytes, controlBytes);
 * }</pre>
 *
 * <p>Immutable by convention (arrays are shared, not copied; adapters copy at their boundary). Thread-safe under that
 * convention.
 */
public record StoredRecord(long version, byte[] state, byte[] control) {
    public StoredRecord {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(control, "control");
    }

    /** The size that counts against {@link StateStore#MAX_RECORD_BYTES}. */
    public long sizeBytes() {
        return (long) state.length + control.length;
    }

    @Override
    public String toString() {
        return "StoredRecord[version=" + version + ", state=" + state.length + " B, control=" + control.length + " B]";
    }
}
