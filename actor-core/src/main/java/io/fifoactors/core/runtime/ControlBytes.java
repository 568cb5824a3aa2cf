package io.fifoactors.core.runtime;

import io.fifoactors.core.MessageDecodingException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Unsynchronised writer and reader of the control record's bytes, in exactly the encoding of {@code DataOutput}
 * (big-endian numbers, modified UTF-8 with a two-byte length), which format 1 was defined with. The record is
 * encoded and decoded on every commit, so this sits on the hot path.
 */
final class ControlBytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private ControlBytes() {
    }

    /** Larger scratch buffers are not kept for the next record. */
    private static final int MAX_KEPT_SCRATCH = 64 * 1024;
    /** Grows to the largest record this thread writes (up to {@link #MAX_KEPT_SCRATCH}). */
    private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(() -> new Out(1024));

    /**
     * This thread's scratch writer, emptied: a record is written into it and copied out once by
     * {@link Out#toByteArray}, instead of into a fresh estimate-sized array that is then copied again. Not reentrant:
     * one record at a time per thread, taken back with {@link Out#release}. (Small to start with: a thread that
     * encodes once, as a virtual thread per task would, pays no more than a fresh buffer.)
     */
    static Out scratch() {
        Out out = SCRATCH.get();
        out.pos = 0;
        return out;
    }

    /** Appends to a growing array. */
    static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        /** Done with a {@link #scratch()} writer: an unusually large buffer is let go rather than kept. */
        void release() {
            if (buf.length > MAX_KEPT_SCRATCH) {
                SCRATCH.remove();
            }
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
        }

        void writeLong(long v) {
            ensure(8);
            LONG.set(buf, pos, v);
            pos += 8;
        }

        void write(byte[] b) {
            write(b, 0, b.length);
        }

        void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        /** Bytes written so far. */
        int size() {
            return pos;
        }

        /** Copies the bytes written so far into {@code dest} at {@code at}. */
        void copyTo(byte[] dest, int at) {
            System.arraycopy(buf, 0, dest, at, pos);
        }

        void writeUTF(String s) {
            int n = s.length();
            int encoded = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                encoded += c >= 0x0001 && c <= 0x007F ? 1 : c > 0x07FF ? 3 : 2;
            }
            if (encoded > 65535) {
                throw new IllegalArgumentException("a control string encodes to " + encoded + " bytes; at most 65535");
            }
            ensure(2 + encoded);
            buf[pos++] = (byte) (encoded >>> 8);
            buf[pos++] = (byte) encoded;
            if (encoded == n) { // every character is 1 to 0x7F, one byte each: the common case (ids, numbers)
                for (int i = 0; i < n; i++) {
                    buf[pos + i] = (byte) s.charAt(i);
                }
                pos += n;
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x0001 && c <= 0x007F) {
                    buf[pos++] = (byte) c;
                } else if (c > 0x07FF) {
                    buf[pos++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                    buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    buf[pos++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads from an array; any inconsistency is a {@link MessageDecodingException}. */
    static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this(buf, 0);
        }

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int position() {
            return pos;
        }

        /** Skips {@code n} bytes, which must be there. */
        void skip(int n) {
            need(n);
            pos += n;
        }

        private void need(int n) {
            if (n < 0 || pos + n > buf.length) {
                throw new MessageDecodingException("actor control record is corrupt: truncated at byte " + pos);
            }
        }

        byte readByte() {
            need(1);
            return buf[pos++];
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        int readInt() {
            need(4);
            int v = (int) INT.get(buf, pos);
            pos += 4;
            return v;
        }

        long readLong() {
            need(8);
            long v = (long) LONG.get(buf, pos);
            pos += 8;
            return v;
        }

        byte[] readBytes(int n) {
            need(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        String readUTF() {
            need(2);
            int len = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            pos += 2;
            need(len);
            int end = pos + len;
            boolean ascii = true;
            for (int i = pos; i < end; i++) {
                if (buf[i] <= 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
                pos = end;
                return s;
            }
            char[] chars = new char[len];
            int n = 0;
            while (pos < end) {
                int a = buf[pos++] & 0xFF;
                if (a < 0x80) {
                    chars[n++] = (char) a;
                } else if ((a & 0xE0) == 0xC0) {
                    int b = continuation(end);
                    chars[n++] = (char) (((a & 0x1F) << 6) | b);
                } else if ((a & 0xF0) == 0xE0) {
                    int b = continuation(end);
                    int c = continuation(end);
                    chars[n++] = (char) (((a & 0x0F) << 12) | (b << 6) | c);
                } else {
                    throw new MessageDecodingException("actor control record is corrupt: bad text at byte " + pos);
                }
            }
            return new String(chars, 0, n);
        }

        /** Skips a string written by {@link Out#writeUTF}, checking it exactly as {@link #readUTF} would. */
        void skipUTF() {
            need(2);
            int len = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            pos += 2;
            need(len);
            int end = pos + len;
            while (pos < end) {
                int a = buf[pos++];
                if (a > 0) {
                    continue;
                }
                a &= 0xFF;
                if (a == 0) {
                    continue; // readUTF accepts a raw zero byte too (as DataInput does)
                }
                if ((a & 0xE0) == 0xC0) {
                    continuation(end);
                } else if ((a & 0xF0) == 0xE0) {
                    continuation(end);
                    continuation(end);
                } else {
                    throw new MessageDecodingException("actor control record is corrupt: bad text at byte " + pos);
                }
            }
        }

        private int continuation(int end) {
            if (pos >= end || (buf[pos] & 0xC0) != 0x80) {
                throw new MessageDecodingException("actor control record is corrupt: bad text at byte " + pos);
            }
            return buf[pos++] & 0x3F;
        }
    }
}
