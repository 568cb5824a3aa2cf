package io.fifoactors.core.port;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Durable actor records, one per actor, with DynamoDB single-item semantics: a load, strongly or eventually
 * consistent, and a conditional commit that replaces the whole record in one atomic write if and only if the stored
 * version is the expected one. No multi-item transactions are needed or offered.
 *
 * <p>Beside each actor's record the store keeps its <em>archive</em>: small immutable chunks the runtime writes
 * once and reads rarely (older sender marks), each with an expiry after which the store may delete it.
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

    /** The largest archive chunk. */
    int MAX_ARCHIVE_BYTES = 64 * 1024;

    /** The actor's record, read strongly consistently; empty if it never committed. */
    Optional<StoredRecord> load(ActorId id);

    /** The records of several actors (absent ones are missing from the map), read with {@code consistency}. */
    Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency);

    /**
     * Writes {@code next} if the stored version is {@code expectedVersion} (0: no record yet).
     *
     * @throws IllegalArgumentException if {@code next.version() != expectedVersion + 1}
     * @throws VersionConflictException if the stored version differs; nothing is written
     * @throws RecordTooLargeException if {@code next} is over {@link #MAX_RECORD_BYTES}; nothing is written
     */
    void commit(ActorId id, long expectedVersion, StoredRecord next);

    /**
     * Writes an archive chunk of the actor's; {@code chunkId} is 1 to 64 printable ASCII characters, unique per
     * chunk (writing the same id again replaces it with the same bytes). Kept at least until {@code expiresAt}.
     */
    void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt);

    /** The archive chunk, read strongly consistently; empty if it was never written or has expired. */
    Optional<byte[]> loadArchive(ActorId id, String chunkId);

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

    /** The checks every adapter makes before an archive write. */
    static void checkArchive(String chunkId, byte[] data) {
        if (chunkId.isEmpty() || chunkId.length() > 64) {
            throw new IllegalArgumentException("archive chunk id must have 1 to 64 characters");
        }
        for (int i = 0; i < chunkId.length(); i++) {
            char c = chunkId.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("archive chunk id has a character outside printable ASCII");
            }
        }
        if (data.length > MAX_ARCHIVE_BYTES) {
            throw new IllegalArgumentException("archive chunk has " + data.length + " bytes; at most "
                    + MAX_ARCHIVE_BYTES);
        }
    }
}
