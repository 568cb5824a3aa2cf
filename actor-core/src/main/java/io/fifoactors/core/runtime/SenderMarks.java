package io.fifoactors.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An actor's per-sender high-water marks, kept in exactly their format-1 encoding: 16 bytes a sender (the 64-bit
 * sender key, then the mark, both big-endian), eldest (least recently advanced) first. A decoded record's marks are
 * not copied or boxed: this wraps the record's own bytes, read-only, and copies them only when a mark is advanced.
 * Encoding them again is one array copy. Lookups scan (at most the configured bound, 1,000 by default: a few
 * hundred nanoseconds, less than building any index).
 *
 * <p>Mutable; confined to one runner, like {@link ActorControl}.
 */
final class SenderMarks {
    static final int ENTRY_BYTES = 16;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NONE = new byte[0];

    /** Entries live in {@code buf[start, start + 16 * count)}. */
    private byte[] buf = NONE;
    private int start;
    private int count;
    /** Whether {@code buf} is this object's own copy (a wrapped record is never written to). */
    private boolean owned;

    /** Adopts {@code count} entries at {@code offset} of {@code record} without copying; the array is never changed. */
    void wrap(byte[] record, int offset, int count) {
        this.buf = record;
        this.start = offset;
        this.count = count;
        this.owned = false;
    }

    int size() {
        return count;
    }

    long keyAt(int index) {
        return (long) LONG.get(buf, start + index * ENTRY_BYTES);
    }

    long markAt(int index) {
        return (long) LONG.get(buf, start + index * ENTRY_BYTES + 8);
    }

    /** The index of the sender key, eldest first, or -1. */
    int indexOf(long key) {
        byte[] b = buf;
        int p = start;
        for (int i = 0; i < count; i++, p += ENTRY_BYTES) {
            if ((long) LONG.get(b, p) == key) {
                return i;
            }
        }
        return -1;
    }

    /** True if the sender has a mark and {@code seq} is at or below it. */
    boolean covers(long key, long seq) {
        int i = indexOf(key);
        return i >= 0 && seq <= markAt(i);
    }

    /**
     * Sets the sender's mark to {@code seq} and makes it the most recent, then evicts the eldest until at most
     * {@code max} remain. Returns how many were evicted.
     */
    int advance(long key, long seq, int max) {
        int i = indexOf(key);
        int n = i >= 0 ? count : count + 1;
        if (!owned || start + n * ENTRY_BYTES > buf.length) {
            int used = count * ENTRY_BYTES;
            if (owned && n * ENTRY_BYTES <= buf.length) {
                System.arraycopy(buf, start, buf, 0, used); // compact in place
            } else {
                byte[] grown = new byte[Math.max(n * ENTRY_BYTES + (n >> 1) * ENTRY_BYTES, 8 * ENTRY_BYTES)];
                System.arraycopy(buf, start, grown, 0, used);
                buf = grown;
                owned = true;
            }
            start = 0;
        }
        if (i >= 0) {
            int p = start + i * ENTRY_BYTES;
            System.arraycopy(buf, p + ENTRY_BYTES, buf, p, (count - i - 1) * ENTRY_BYTES);
        } else {
            count++;
        }
        int last = start + (count - 1) * ENTRY_BYTES;
        LONG.set(buf, last, key);
        LONG.set(buf, last + 8, seq);
        int evicted = 0;
        while (count > max) {
            start += ENTRY_BYTES;
            count--;
            evicted++;
        }
        return evicted;
    }

    /** Appends the format-1 encoding: the count, then the entries, eldest first. */
    void writeTo(ControlBytes.Out out) {
        out.writeInt(count);
        out.write(buf, start, count * ENTRY_BYTES);
    }
}
