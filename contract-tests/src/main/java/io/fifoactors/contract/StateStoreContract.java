package io.fifoactors.contract;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The StateStore contract (DynamoDB single-item semantics). Every adapter extends this class and supplies fresh
 * stores; no test may be skipped.
 */
public abstract class StateStoreContract {
    private final List<StateStoreFixture> opened = new ArrayList<>();

    /** A fresh, empty store. */
    protected abstract StateStoreFixture newStore();

    private StateStore open() {
        StateStoreFixture f = newStore();
        opened.add(f);
        return f.store();
    }

    @AfterEach
    void closeFixtures() {
        opened.forEach(StateStoreFixture::close);
        opened.clear();
    }

    private static final ActorId A = ActorId.of("account", "a-1");
    private static final ActorId B = ActorId.of("account", "a-2");

    private static byte[] allBytes() {
        byte[] b = new byte[512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void anActorThatNeverCommittedHasNoRecord() {
        assertEquals(Optional.empty(), open().load(A));
    }

    @Test
    void aCommittedRecordLoadsBackByteForByte() {
        StateStore store = open();
        byte[] state = allBytes();
        byte[] control = {9, 8, 7};
        store.commit(A, 0, new StoredRecord(1, state, control));
        StoredRecord got = store.load(A).orElseThrow();
        assertEquals(1, got.version());
        assertArrayEquals(state, got.state());
        assertArrayEquals(control, got.control());
        assertEquals(Optional.empty(), store.load(B));
    }

    @Test
    void emptyStateAndControlRoundTrip() {
        StateStore store = open();
        store.commit(A, 0, new StoredRecord(1, new byte[0], new byte[0]));
        StoredRecord got = store.load(A).orElseThrow();
        assertArrayEquals(new byte[0], got.state());
        assertArrayEquals(new byte[0], got.control());
    }

    @Test
    void eachCommitReplacesTheWholeRecordAndBumpsTheVersion() {
        StateStore store = open();
        store.commit(A, 0, new StoredRecord(1, new byte[] {1, 1, 1, 1}, new byte[] {1}));
        store.commit(A, 1, new StoredRecord(2, new byte[] {2}, new byte[0]));
        StoredRecord got = store.load(A).orElseThrow();
        assertEquals(2, got.version());
        assertArrayEquals(new byte[] {2}, got.state());
        assertArrayEquals(new byte[0], got.control());
    }

    @Test
    void aStaleExpectedVersionConflictsAndWritesNothing() {
        StateStore store = open();
        store.commit(A, 0, new StoredRecord(1, new byte[] {1}, new byte[0]));
        store.commit(A, 1, new StoredRecord(2, new byte[] {2}, new byte[0]));
        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> store.commit(A, 1, new StoredRecord(2, new byte[] {3}, new byte[0])));
        assertTrue(e.isRetryable());
        assertEquals(A, e.actorId());
        assertThrows(VersionConflictException.class,
                () -> store.commit(A, 0, new StoredRecord(1, new byte[] {4}, new byte[0])));
        assertThrows(VersionConflictException.class,
                () -> store.commit(B, 5, new StoredRecord(6, new byte[] {5}, new byte[0])));
        assertArrayEquals(new byte[] {2}, store.load(A).orElseThrow().state());
        assertEquals(Optional.empty(), store.load(B));
    }

    @Test
    void theNextVersionMustFollowTheExpectedOne() {
        StateStore store = open();
        assertThrows(IllegalArgumentException.class,
                () -> store.commit(A, 0, new StoredRecord(2, new byte[0], new byte[0])));
        assertEquals(Optional.empty(), store.load(A));
    }

    @Test
    void aRecordOverTheLimitIsRefusedBeforeWritingAndOneAtTheLimitFits() {
        StateStore store = open();
        byte[] control = new byte[100];
        byte[] atLimit = new byte[(int) (StateStore.MAX_RECORD_BYTES - control.length)];
        atLimit[atLimit.length - 1] = 42;
        store.commit(A, 0, new StoredRecord(1, atLimit, control));
        assertArrayEquals(atLimit, store.load(A).orElseThrow().state());

        byte[] over = new byte[atLimit.length + 1];
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
                () -> store.commit(A, 1, new StoredRecord(2, over, control)));
        assertTrue(!e.isRetryable());
        assertEquals(1, store.load(A).orElseThrow().version());
    }

    @Test
    void loadAllReturnsThePresentRecordsAcrossRequestLimits() {
        StateStore store = open();
        List<ActorId> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            ActorId id = ActorId.of("account", "k-" + i);
            ids.add(id);
            if (i % 3 != 0) {
                store.commit(id, 0, new StoredRecord(1, ByteBuffer.allocate(4).putInt(i).array(), new byte[0]));
            }
        }
        Map<ActorId, StoredRecord> found = store.loadAll(ids, io.fifoactors.core.port.Consistency.STRONG);
        for (int i = 0; i < 130; i++) {
            StoredRecord r = found.get(ids.get(i));
            if (i % 3 == 0) {
                assertEquals(null, r, "absent record for " + ids.get(i));
            } else {
                assertEquals(i, ByteBuffer.wrap(r.state()).getInt());
            }
        }
        assertEquals(Map.of(), store.loadAll(List.of(), io.fifoactors.core.port.Consistency.STRONG));
    }

    @Test
    void callersCannotChangeStoredBytesThroughArrays() {
        StateStore store = open();
        byte[] state = {1, 2, 3};
        store.commit(A, 0, new StoredRecord(1, state, new byte[] {7}));
        state[0] = 99;
        StoredRecord loaded = store.load(A).orElseThrow();
        loaded.state()[1] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, store.load(A).orElseThrow().state());
    }

    @Test
    void keysWithAnyPrintableCharacterAreDistinctActors() {
        StateStore store = open();
        List<ActorId> ids = List.of(ActorId.of("item", "a/b#c:d"), ActorId.of("item", "a/b#c:e"),
                ActorId.of("item", "!\"$%&'()*+,-.;<=>?@[\\]^_`{|}~"), ActorId.of("item2", "a/b#c:d"));
        for (int i = 0; i < ids.size(); i++) {
            store.commit(ids.get(i), 0, new StoredRecord(1, new byte[] {(byte) i}, new byte[0]));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertArrayEquals(new byte[] {(byte) i}, store.load(ids.get(i)).orElseThrow().state());
        }
    }

    @Test
    void concurrentOptimisticIncrementsLoseNoUpdate() throws Exception {
        StateStore store = open();
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                conflicts.add(pool.submit(() -> {
                    int lost = 0;
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            Optional<StoredRecord> cur = store.load(A);
                            long version = cur.map(StoredRecord::version).orElse(0L);
                            int value = cur.map(r -> ByteBuffer.wrap(r.state()).getInt()).orElse(0);
                            try {
                                store.commit(A, version, new StoredRecord(version + 1,
                                        ByteBuffer.allocate(4).putInt(value + 1).array(), new byte[0]));
                                break;
                            } catch (VersionConflictException e) {
                                lost++;
                            }
                        }
                    }
                    return lost;
                }));
            }
            for (Future<Integer> f : conflicts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        StoredRecord last = store.load(A).orElseThrow();
        assertEquals(threads * perThread, ByteBuffer.wrap(last.state()).getInt());
        assertEquals(threads * perThread, last.version());
    }
}
