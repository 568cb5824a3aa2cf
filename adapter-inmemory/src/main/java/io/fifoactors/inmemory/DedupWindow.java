package io.fifoactors.inmemory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The deduplication keys a FIFO queue remembers (a message's group id and id) with the time each stops counting, in
 * the order they were added; their times must not decrease, so the expired ones are always the oldest.
 *
 * <p>Why not a map of records: a queue remembers every message sent in the last five minutes, and under load that is
 * millions of keys. As a {@code HashMap} of key records, each key was six objects (the record, its node, two strings
 * and their arrays) that the garbage collector copied until they aged out; in B1 that live set cost a third of the
 * throughput. Here a key is one byte array in a ring (its group id's length, then the group id and the id in UTF-8),
 * found through an open-addressing table of ring positions with linear probing; removal shifts the probe run back,
 * so no tombstones accumulate.
 *
 * <p>Not thread-safe: the mailbox calls it under its lock.
 */
final class DedupWindow {
    /** Ring of keys in the order added: the oldest at {@code head}. Capacity a power of two. */
    private byte[][] keys = new byte[16][];
    private int[] hashes = new int[16];
    private long[] untils = new long[16];
    private int head;
    private int size;
    /** Ring index + 1 of the key whose probe run passes here; 0 if empty. Capacity a power of two, at most half full. */
    private int[] table = new int[32];

    /** Keys remembered now. */
    int size() {
        return size;
    }

    /** Forgets the keys whose time is at or before {@code nowMillis}. */
    void expire(long nowMillis) {
        while (size > 0 && untils[head] <= nowMillis) {
            removeSlot(slotOf(head));
            keys[head] = null;
            head = (head + 1) & (keys.length - 1);
            size--;
        }
    }

    /**
     * Remembers the key until {@code untilMillis} and returns true, unless it is remembered already (then it changes
     * nothing and returns false). {@code untilMillis} must not be before the last key's.
     */
    boolean addIfAbsent(String groupId, String id, long untilMillis) {
        byte[] key = encode(groupId, id);
        int hash = hash(key);
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) {
                break;
            }
            int at = entry - 1;
            if (hashes[at] == hash && Arrays.equals(keys[at], key)) {
                return false;
            }
        }
        if (size == keys.length) {
            growRing();
        }
        int at = (head + size) & (keys.length - 1);
        keys[at] = key;
        hashes[at] = hash;
        untils[at] = untilMillis;
        size++;
        if (2 * size > table.length) {
            rebuildTable(table.length * 2);
        } else {
            insert(at);
        }
        return true;
    }

    private static byte[] encode(String groupId, String id) {
        if (!isAscii(groupId) || !isAscii(id)) {
            byte[] g = groupId.getBytes(StandardCharsets.UTF_8);
            byte[] i = id.getBytes(StandardCharsets.UTF_8);
            byte[] key = new byte[2 + g.length + i.length]; // the group's length first: no pair poses as another
            key[0] = (byte) (g.length >>> 8);
            key[1] = (byte) g.length;
            System.arraycopy(g, 0, key, 2, g.length);
            System.arraycopy(i, 0, key, 2 + g.length, i.length);
            return key;
        }
        // ids are ASCII (the queue accepts nothing else): their characters are their UTF-8 bytes, one array in all
        int gl = groupId.length();
        byte[] key = new byte[2 + gl + id.length()];
        key[0] = (byte) (gl >>> 8);
        key[1] = (byte) gl;
        for (int k = 0; k < gl; k++) {
            key[2 + k] = (byte) groupId.charAt(k);
        }
        for (int k = 0; k < id.length(); k++) {
            key[2 + gl + k] = (byte) id.charAt(k);
        }
        return key;
    }

    private static boolean isAscii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a, then a finaliser that spreads it over the low bits the table uses. */
    private static int hash(byte[] key) {
        int h = 0x811c9dc5;
        for (byte b : key) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    private void insert(int at) {
        int mask = table.length - 1;
        int slot = hashes[at] & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = at + 1;
    }

    /** The table slot that holds ring index {@code at}. */
    private int slotOf(int at) {
        int mask = table.length - 1;
        for (int slot = hashes[at] & mask; ; slot = (slot + 1) & mask) {
            if (table[slot] == at + 1) {
                return slot;
            }
        }
    }

    /** Empties {@code slot}, moving back the later entries of its probe run that may no longer be found past it. */
    private void removeSlot(int slot) {
        int mask = table.length - 1;
        int gap = slot;
        for (int j = (slot + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = hashes[table[j] - 1] & mask;
            // the entry at j may move into the gap unless its home lies cyclically in (gap, j]
            boolean homeInRun = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
            if (!homeInRun) {
                table[gap] = table[j];
                gap = j;
            }
        }
        table[gap] = 0;
    }

    private void growRing() {
        int n = keys.length;
        byte[][] k = new byte[n * 2][];
        int[] h = new int[n * 2];
        long[] u = new long[n * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (n - 1);
            k[i] = keys[from];
            h[i] = hashes[from];
            u[i] = untils[from];
        }
        keys = k;
        hashes = h;
        untils = u;
        head = 0;
        rebuildTable(Math.max(table.length, 4 * n));
    }

    private void rebuildTable(int capacity) {
        table = new int[capacity];
        for (int i = 0; i < size; i++) {
            insert((head + i) & (keys.length - 1));
        }
    }
}
