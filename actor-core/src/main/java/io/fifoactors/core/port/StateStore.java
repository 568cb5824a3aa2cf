package io.fifoactors.core.port;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Durable actor records, one per actor, with DynamoDB single-item semantics: a strongly consistent load, and a
 * conditional commit that replaces the whole record in one atomic write if and only if the stored version is the
 * expected one. No multi-item transactions are needed or offered.
 *
 * <pre>{@code
 * long v = store.load(id).map(StoredRecord::version).orElse(0L);
 * store.commit(id, v, new StoredRecord(v + 1, state, control));   // VersionConflictException if someone won
 * }</pre>
 *
 * <p>Implementations are thread-safe. They return copies: a caller may not change what it got or gave.
 */
public interface StateStore {
    /**
     * The largest {@link StoredRecord#sizeBytes()} any store accepts: DynamoDB's 400 KB item limit less 2 KB for the
     * key, attribute names and version. Every adapter applies this same limit, so a record that fits one fits all.
     */
    long MAX_RECORD_BYTES = 400L * 1024 - 2048;

    /** The actor's record, read consistently; empty if it never committed. */
    Optional<StoredRecord> load(ActorId id);

    /** The records of several actors (absent ones are missing from the map); adapters may batch the reads. */
    default Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids) {
        Map<ActorId, StoredRecord> found = new LinkedHashMap<>();
        for (ActorId id : ids) {
            load(id).ifPresent(r -> found.put(id, r));
        }
        return found;
    }

    /**
     * Writes {@code next} if the stored version is {@code expectedVersion} (0: no record yet).
     *
     * @throws IllegalArgumentException if {@code next.version() != expectedVersion + 1}
     * @throws VersionConflictException if the stored version differs; nothing is written
     * @throws RecordTooLargeException if {@code next} is over {@link #MAX_RECORD_BYTES}; nothing is written
     */
    void commit(ActorId id, long expectedVersion, StoredRecord next);

    /** The checks every adapter makes before a commit; adapters call this first. */
    static void checkCommit(ActorId id, long expectedVersion, StoredRecord next) {
        if (expectedVersion < 0 || next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("next version must be expectedVersion + 1 (expected " + expectedVersion
                    + ", next " + next.version() + ")");
        }
        if (next.sizeBytes() > MAX_RECORD_BYTES) {
            throw new RecordTooLargeException(id, next.sizeBytes(), MAX_RECORD_BYTES);
        }
    }
}
