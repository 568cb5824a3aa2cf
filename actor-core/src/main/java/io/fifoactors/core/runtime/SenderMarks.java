package io.fifoactors.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An actor's per-sender high-water marks, kept in exactly their format-1 encoding: 16 bytes a sender (the 64-bit
 * sender key, then the mark, both big-endian), eldest (least recently advanced) first. A decoded record's marks are
 * not copied or boxed: this wraps the record's own bytes, read-only. The first advance is kept aside and the second
 * makes a private copy, so a record advanced once is written again straight from the bytes it was read from.
 * Lookups scan (at most the configured bound, 1,000 by default: a few hundred nanoseconds, less than building any
 * index).
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

    /*
     * The first advance after a wrap is not applied to a copy but kept aside, so that a record loaded, advanced once
     * and committed (the common case: one message from a sender) is written straight from the wrapped bytes, skipping
     * the moved entry. The marks are then: buf's entries less the one at movedFrom, then (pendingKey, pendingSeq).
     */
    private boolean pending;
    private long pendingKey;
    private long pendingSeq;
    /** Index in buf's entries of the pending sender's previous mark, or -1. */
    private int movedFrom = -1;

    /** Adopts {@code count} entries at {@code offset} of {@code record} without copying; the array is never changed. */
    void wrap(byte[] record, int offset, int count) {
        this.buf = record;
        this.start = offset;
        this.count = count;
        this.owned = false;
        this.pending = false;
        this.movedFrom = -1;
    }

    int size() {
        return pending ? count - (movedFrom >= 0 ? 1 : 0) + 1 : count;
    }

    /** The key of the {@code index}-th mark, eldest first. */
    long keyAt(int index) {
        applyPending();
        return (long) LONG.get(buf, start + index * ENTRY_BYTES);
    }

    /** The mark of the {@code index}-th sender, eldest first. */
    long markAt(int index) {
        applyPending();
        return (long) LONG.get(buf, start + index * ENTRY_BYTES + 8);
    }

    /** The index of the sender key among buf's entries, or -1 (the pending mark is not among them). */
    private int indexOf(long key) {
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
        if (pending && key == pendingKey) {
            return seq <= pendingSeq;
        }
        int i = indexOf(key);
        return i >= 0 && seq <= (long) LONG.get(buf, start + i * ENTRY_BYTES + 8);
    }

    /**
     * Sets the sender's mark to {@code seq} and makes it the most recent, then evicts the eldest until at most
     * {@code max} remain. Returns how many were evicted.
     */
    int advance(long key, long seq, int max) {
        if (!owned && !pending) {
            pending = true;
            pendingKey = key;
            pendingSeq = seq;
            movedFrom = indexOf(key);
            int evicted = 0;
            while (size() > max) {
                // the eldest is buf's first entry; if it is the moved one, the one after it (its copy is the newest)
                if (movedFrom == 0) {
                    start += ENTRY_BYTES;
                    count--;
                    movedFrom = -1;
                }
                start += ENTRY_BYTES;
                count--;
                if (movedFrom > 0) {
                    movedFrom--;
                }
                evicted++;
            }
            return evicted;
        }
        applyPending();
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

    /** Moves the pending mark into an owned copy of the entries. */
    private void applyPending() {
        if (!pending) {
            return;
        }
        int n = size();
        byte[] copy = new byte[Math.max(n * ENTRY_BYTES + (n >> 1) * ENTRY_BYTES, 8 * ENTRY_BYTES)];
        int at = copyEntriesTo(copy, 0);
        LONG.set(copy, at, pendingKey);
        LONG.set(copy, at + 8, pendingSeq);
        buf = copy;
        start = 0;
        count = n;
        owned = true;
        pending = false;
        movedFrom = -1;
    }

    /** Copies buf's entries, less the moved one, to {@code dest} at {@code at}; returns the end. */
    private int copyEntriesTo(byte[] dest, int at) {
        if (movedFrom < 0) {
            System.arraycopy(buf, start, dest, at, count * ENTRY_BYTES);
            return at + count * ENTRY_BYTES;
        }
        int before = movedFrom * ENTRY_BYTES;
        int after = (count - movedFrom - 1) * ENTRY_BYTES;
        System.arraycopy(buf, start, dest, at, before);
        System.arraycopy(buf, start + before + ENTRY_BYTES, dest, at + before, after);
        return at + before + after;
    }

    /** Appends the format-1 encoding: the count, then the entries, eldest first. */
    void writeTo(ControlBytes.Out out) {
        out.writeInt(size());
        if (!pending) {
            out.write(buf, start, count * ENTRY_BYTES);
            return;
        }
        if (movedFrom < 0) {
            out.write(buf, start, count * ENTRY_BYTES);
        } else {
            out.write(buf, start, movedFrom * ENTRY_BYTES);
            out.write(buf, start + (movedFrom + 1) * ENTRY_BYTES, (count - movedFrom - 1) * ENTRY_BYTES);
        }
        out.writeLong(pendingKey);
        out.writeLong(pendingSeq);
    }
}
