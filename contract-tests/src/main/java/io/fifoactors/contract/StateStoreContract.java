package io.fifoactors.contract;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The StateStore contract (DynamoDB single-item semantics): strong reads see the latest commit; eventually consistent
 * reads see a committed state, possibly an older one or none yet (never a torn record, never a write that lost its
 * condition); conditional commits; the attention stored beside a record; the record size limit; archive chunks
 * (ids, size limit, expiry); copies at the boundary. Every adapter extends this class and supplies fresh stores; no
 * test may be skipped. Assertions hold on DynamoDB itself, so an adapter whose eventual reads are always fresh passes
 * as well as one that serves stale ones.
 *
 * <pre>{@code
 * class MyStoreContractTest extends StateStoreContract {
 *     protected StateStoreFixture newStore() { return StateStoreFixture.of(MyStore.create(), () -> { }); }
 * }
 * }</pre>
 *
 * <p>Each test opens its own stores; JUnit may run the tests of a class on one thread at a time.
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
    void theAttentionWrittenIsTheAttentionLoadedAndACommitWithoutAttentionClearsIt() {
        StateStore store = open();
        Set<Attention> all = EnumSet.allOf(Attention.class);
        store.commit(A, 0, new StoredRecord(1, new byte[] {1}, new byte[] {1}, all));
        store.commit(B, 0, new StoredRecord(1, new byte[] {2}, new byte[] {2}, Set.of(Attention.PARKED)));
        assertEquals(all, store.load(A).orElseThrow().attention());
        Map<ActorId, StoredRecord> both = store.loadAll(List.of(A, B), Consistency.STRONG);
        assertEquals(all, both.get(A).attention());
        assertEquals(Set.of(Attention.PARKED), both.get(B).attention());

        store.commit(A, 1, new StoredRecord(2, new byte[] {1}, new byte[] {1}, Set.of(Attention.FAILING)));
        assertEquals(Set.of(Attention.FAILING), store.load(A).orElseThrow().attention(), "replaced, not merged");
        store.commit(A, 2, new StoredRecord(3, new byte[] {1}, new byte[] {1}));
        assertEquals(Set.of(), store.load(A).orElseThrow().attention());
        assertEquals(Set.of(), store.loadAll(List.of(A), Consistency.STRONG).get(A).attention());
        assertEquals(Set.of(Attention.PARKED), store.load(B).orElseThrow().attention(), "another actor's stays");
        // a conflicting commit changes no one's attention
        assertThrows(VersionConflictException.class, () -> store.commit(B, 0,
                new StoredRecord(1, new byte[0], new byte[0], Set.of(Attention.LARGE))));
        assertEquals(Set.of(Attention.PARKED), store.load(B).orElseThrow().attention());
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
    void strongLoadAllReturnsExactlyThePresentRecordsAcrossRequestLimits() {
        StateStore store = open();
        List<ActorId> ids = manyActors(store, 230);
        List<ActorId> asked = new ArrayList<>(ids);
        asked.add(ids.get(7)); // a duplicate is read once
        Map<ActorId, StoredRecord> found = store.loadAll(asked, Consistency.STRONG);
        assertEquals(230 - 77, found.size());
        for (int i = 0; i < ids.size(); i++) {
            StoredRecord r = found.get(ids.get(i));
            if (i % 3 == 0) {
                assertNull(r, "absent record for " + ids.get(i));
            } else {
                assertEquals(1, r.version());
                assertEquals(i, ByteBuffer.wrap(r.state()).getInt());
                assertArrayEquals(new byte[] {(byte) i}, r.control());
            }
        }
        assertEquals(Map.of(), store.loadAll(List.of(), Consistency.STRONG));
        assertEquals(Map.of(), store.loadAll(List.of(ids.get(0), ids.get(3)), Consistency.STRONG));
    }

    @Test
    void eventualLoadAllReturnsOnlyCommittedRecordsAcrossRequestLimits() {
        StateStore store = open();
        List<ActorId> ids = manyActors(store, 230);
        Map<ActorId, StoredRecord> found = store.loadAll(ids, Consistency.EVENTUAL);
        // Just after its first commit an eventually consistent read may still miss a record; what it returns is the
        // committed record, and an actor that never committed is never there.
        for (int i = 0; i < ids.size(); i++) {
            StoredRecord r = found.get(ids.get(i));
            if (i % 3 == 0) {
                assertNull(r, "absent record for " + ids.get(i));
            } else if (r != null) {
                assertEquals(1, r.version());
                assertEquals(i, ByteBuffer.wrap(r.state()).getInt());
                assertArrayEquals(new byte[] {(byte) i}, r.control());
            }
        }
        assertTrue(ids.containsAll(found.keySet()));
        assertEquals(Map.of(), store.loadAll(List.of(), Consistency.EVENTUAL));
    }

    /** {@code n} actors of which every third never committed; the others hold version 1 with state = index. */
    private static List<ActorId> manyActors(StateStore store, int n) {
        List<ActorId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ActorId id = ActorId.of("account", "k-" + i);
            ids.add(id);
            if (i % 3 != 0) {
                store.commit(id, 0, new StoredRecord(1, ByteBuffer.allocate(4).putInt(i).array(),
                        new byte[] {(byte) i}));
            }
        }
        return ids;
    }

    @Test
    void eventualReadsReturnACommittedStateNeverATornOrFailedOneAndStrongReadsTheLatest() {
        StateStore store = open();
        List<StoredRecord> committed = new ArrayList<>();
        for (int v = 1; v <= 6; v++) {
            StoredRecord next = new StoredRecord(v, new byte[] {(byte) v, (byte) v, (byte) v},
                    new byte[] {(byte) (10 * v)});
            store.commit(A, v - 1, next);
            committed.add(next);
            // A write that lost its condition must never be seen, by any read.
            long stale = v - 1;
            assertThrows(VersionConflictException.class,
                    () -> store.commit(A, stale, new StoredRecord(stale + 1, new byte[] {99}, new byte[] {99})));
            assertRecord(next, store.load(A).orElseThrow());
            assertRecord(next, store.loadAll(List.of(A, B), Consistency.STRONG).get(A));
            for (int read = 0; read < 4; read++) {
                Map<ActorId, StoredRecord> eventual = store.loadAll(List.of(A, B), Consistency.EVENTUAL);
                assertNull(eventual.get(B), "an actor that never committed");
                StoredRecord got = eventual.get(A);
                if (got != null) {
                    assertTrue(got.version() >= 1 && got.version() <= v, "version " + got.version() + " after " + v);
                    assertRecord(committed.get((int) got.version() - 1), got);
                }
            }
        }
    }

    private static void assertRecord(StoredRecord expected, StoredRecord actual) {
        assertEquals(expected.version(), actual.version());
        assertArrayEquals(expected.state(), actual.state(), "state of version " + expected.version());
        assertArrayEquals(expected.control(), actual.control(), "control of version " + expected.version());
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
    // ------------------------------------------------------------------ archive

    private static final Instant LATER = Instant.parse("2100-01-01T00:00:00.5Z");

    @Test
    void anArchiveChunkRoundTripsByteForByteAndIsSeparateFromRecords() {
        StateStore store = open();
        byte[] data = allBytes();
        store.putArchive(A, "marks-1", data, LATER);
        assertArrayEquals(data, store.loadArchive(A, "marks-1").orElseThrow());
        assertEquals(Optional.empty(), store.loadArchive(A, "marks-2"), "a chunk never written");
        assertEquals(Optional.empty(), store.loadArchive(B, "marks-1"), "the same chunk id of another actor");
        // Chunks are not records, and records are not chunks.
        assertEquals(Optional.empty(), store.load(A));
        assertEquals(Map.of(), store.loadAll(List.of(A, B), Consistency.STRONG));
        store.commit(A, 0, new StoredRecord(1, new byte[] {1}, new byte[] {2}));
        store.putArchive(B, "marks-1", new byte[] {5}, LATER);
        assertArrayEquals(data, store.loadArchive(A, "marks-1").orElseThrow());
        assertArrayEquals(new byte[] {5}, store.loadArchive(B, "marks-1").orElseThrow());
        assertArrayEquals(new byte[] {1}, store.load(A).orElseThrow().state());
        assertEquals(Optional.empty(), store.load(B));
        // Rewriting a chunk (the same bytes, another expiry) keeps it; an empty chunk is a chunk.
        store.putArchive(A, "marks-1", data, LATER.plusSeconds(60));
        assertArrayEquals(data, store.loadArchive(A, "marks-1").orElseThrow());
        store.putArchive(A, "empty", new byte[0], LATER);
        assertArrayEquals(new byte[0], store.loadArchive(A, "empty").orElseThrow());
    }

    @Test
    void archiveChunkIdsAreOneToSixtyFourPrintableAsciiCharacters() {
        StateStore store = open();
        String longest = "x".repeat(63) + "~";
        String allPrintable = "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
        for (String ok : List.of("a", longest, allPrintable, "archive", "account/a-1")) {
            store.putArchive(A, ok, ok.getBytes(StandardCharsets.US_ASCII), LATER);
        }
        for (String ok : List.of("a", longest, allPrintable, "archive", "account/a-1")) {
            assertArrayEquals(ok.getBytes(StandardCharsets.US_ASCII), store.loadArchive(A, ok).orElseThrow(), ok);
        }
        for (String bad : List.of("", "x".repeat(65), "has space", "tab\t", "caf\u00e9", "new\nline", "\u007f")) {
            IllegalArgumentException put = assertThrows(IllegalArgumentException.class,
                    () -> store.putArchive(A, bad, new byte[] {1}, LATER), bad);
            assertTrue(put.getMessage().contains("chunk id"), put.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.loadArchive(A, bad), bad);
        }
    }

    @Test
    void anArchiveChunkOverSixtyFourKilobytesIsRefusedAndOneAtTheLimitFits() {
        StateStore store = open();
        byte[] atLimit = new byte[StateStore.MAX_ARCHIVE_BYTES];
        atLimit[0] = 1;
        atLimit[atLimit.length - 1] = 2;
        store.putArchive(A, "big", atLimit, LATER);
        assertArrayEquals(atLimit, store.loadArchive(A, "big").orElseThrow());

        byte[] over = new byte[StateStore.MAX_ARCHIVE_BYTES + 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.putArchive(A, "too-big", over, LATER));
        assertTrue(e.getMessage().contains(Integer.toString(over.length))
                && e.getMessage().contains(Integer.toString(StateStore.MAX_ARCHIVE_BYTES)), e.getMessage());
        assertEquals(Optional.empty(), store.loadArchive(A, "too-big"), "nothing was written");
    }

    @Test
    void callersCannotChangeArchivedBytesThroughArrays() {
        StateStore store = open();
        byte[] data = {1, 2, 3};
        store.putArchive(A, "c", data, LATER);
        data[0] = 99;
        byte[] loaded = store.loadArchive(A, "c").orElseThrow();
        loaded[1] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, store.loadArchive(A, "c").orElseThrow());
    }

    @Test
    void anExpiredChunkIsEitherStillThereUnchangedOrGone() {
        // DynamoDB deletes expired items some time after they expire and until then still returns them; a store may
        // do either, but never returns other bytes.
        StateStore store = open();
        store.putArchive(A, "old", new byte[] {4, 2}, Instant.parse("2001-01-01T00:00:00Z"));
        store.loadArchive(A, "old").ifPresent(b -> assertArrayEquals(new byte[] {4, 2}, b));
        assertEquals(Optional.empty(), store.load(A));
    }
}
