package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link StateStore} in memory with DynamoDB's single-item semantics: consistent reads, a conditional write on the
 * version, the same record size limit as every adapter ({@link StateStore#MAX_RECORD_BYTES}), and copies of all
 * bytes in and out, so a caller that keeps or changes an array cannot corrupt what is stored.
 *
 * <pre>{@code
 * InMemoryStateStore store = InMemoryStateStore.create();
 * store.commit(id, 0, new StoredRecord(1, state, control));
 * }</pre>
 *
 * <p>Thread-safe; each commit is atomic.
 */
public final class InMemoryStateStore implements StateStore {
    private final ConcurrentHashMap<ActorId, StoredRecord> records = new ConcurrentHashMap<>();
    // adders, not atomics: concurrent consumers would otherwise all bump the same cache line on every load and commit
    private final LongAdder loads = new LongAdder();
    private final LongAdder commits = new LongAdder();

    private InMemoryStateStore() {
    }

    public static InMemoryStateStore create() {
        return new InMemoryStateStore();
    }

    @Override
    public Optional<StoredRecord> load(ActorId id) {
        loads.increment();
        return Optional.ofNullable(records.get(id)).map(InMemoryStateStore::copy);
    }

    /** As {@link StateStore#loadAll}'s default (each id one load), without an {@code Optional} per id. */
    @Override
    public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids) {
        Map<ActorId, StoredRecord> found = new LinkedHashMap<>();
        for (ActorId id : ids) {
            loads.increment();
            StoredRecord r = records.get(id);
            if (r != null) {
                found.put(id, copy(r));
            }
        }
        return found;
    }

    @Override
    public void commit(ActorId id, long expectedVersion, StoredRecord next) {
        StateStore.checkCommit(id, expectedVersion, next);
        StoredRecord stored = copy(next);
        commits.increment();
        records.compute(id, (k, current) -> {
            long currentVersion = current == null ? 0 : current.version();
            if (currentVersion != expectedVersion) {
                throw new VersionConflictException(id, expectedVersion);
            }
            return stored;
        });
    }

    /** Every actor that has a record, in no particular order. */
    public List<ActorId> actorIds() {
        return List.copyOf(records.keySet());
    }

    /** Load calls so far (each id of a loadAll counts once). */
    public long loadCount() {
        return loads.sum();
    }

    /** Commit calls so far, including those that conflicted. */
    public long commitCount() {
        return commits.sum();
    }

    private static StoredRecord copy(StoredRecord r) {
        return new StoredRecord(r.version(), r.state().clone(), r.control().clone());
    }
}
