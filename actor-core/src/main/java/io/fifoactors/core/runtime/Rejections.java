package io.fifoactors.core.runtime;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The most recent rejections kept with an actor, oldest first, held in their format-1 encoding (message id, type and
 * reason as modified UTF-8, then the epoch milliseconds) so that a record that is loaded and committed again without
 * a new rejection copies them as bytes instead of decoding and re-encoding every one. A decoded record's section is
 * wrapped, not copied; it is validated when wrapped, so a corrupt record fails on decode as before. Iterating decodes.
 *
 * <p>Mutable; confined to one runner, like {@link ActorControl}.
 */
final class Rejections extends AbstractCollection<RejectionRecord> {
    private static final byte[] NONE = new byte[0];

    /** The entries live in {@code buf[start, end)}. */
    private byte[] buf = NONE;
    private int start;
    private int end;
    private int count;
    private boolean owned;

    /** Reads (and checks) {@code count} entries at the reader's position and adopts their bytes without copying. */
    void wrap(ControlBytes.In in, byte[] record, int count) {
        int from = in.position();
        for (int i = 0; i < count; i++) {
            in.skipUTF();
            in.skipUTF();
            in.skipUTF();
            in.skip(8);
        }
        this.buf = record;
        this.start = from;
        this.end = in.position();
        this.count = count;
        this.owned = false;
    }

    @Override
    public int size() {
        return count;
    }

    /** Adds the newest rejection, then drops the oldest until at most {@code keep} remain. */
    void addLast(RejectionRecord r, int keep) {
        ControlBytes.Out entry = new ControlBytes.Out(64);
        entry.writeUTF(r.messageId());
        entry.writeUTF(r.messageType());
        entry.writeUTF(r.reason());
        entry.writeLong(r.at().toEpochMilli());
        int add = entry.size();
        if (!owned || end + add > buf.length) {
            byte[] grown = new byte[Math.max(64, (end - start + add) * 3 / 2)];
            System.arraycopy(buf, start, grown, 0, end - start);
            end -= start;
            start = 0;
            buf = grown;
            owned = true;
        }
        entry.copyTo(buf, end);
        end += add;
        count++;
        while (count > keep) {
            start = skipEntry(start);
            count--;
        }
    }

    /** The oldest kept rejection, or null. */
    RejectionRecord peekFirst() {
        return count == 0 ? null : iterator().next();
    }

    /** The newest kept rejection, or null. */
    RejectionRecord peekLast() {
        RejectionRecord last = null;
        for (RejectionRecord r : this) {
            last = r;
        }
        return last;
    }

    private int skipEntry(int at) {
        int p = at;
        for (int k = 0; k < 3; k++) {
            p += 2 + (((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF));
        }
        return p + 8;
    }

    /** Appends the format-1 encoding: the count, then the entries, oldest first. */
    void writeTo(ControlBytes.Out out) {
        out.writeInt(count);
        out.write(buf, start, end - start);
    }

    @Override
    public Iterator<RejectionRecord> iterator() {
        ControlBytes.In in = new ControlBytes.In(buf, start);
        return new Iterator<>() {
            private int left = count;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public RejectionRecord next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                left--;
                return new RejectionRecord(in.readUTF(), in.readUTF(), in.readUTF(),
                        Instant.ofEpochMilli(in.readLong()));
            }
        };
    }
}
