package io.fifoactors.lambda;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** A state store that passes every call on; tests override what they watch or break. */
class DelegatingStore implements StateStore {
    final StateStore inner;

    DelegatingStore(StateStore inner) {
        this.inner = inner;
    }

    @Override
    public Optional<StoredRecord> load(ActorId id) {
        return inner.load(id);
    }

    @Override
    public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
        return inner.loadAll(ids, consistency);
    }

    @Override
    public void commit(ActorId id, long expectedVersion, StoredRecord next) {
        inner.commit(id, expectedVersion, next);
    }

    @Override
    public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
        inner.putArchive(id, chunkId, data, expiresAt);
    }

    @Override
    public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
        return inner.loadArchive(id, chunkId);
    }
}
