package io.fifoactors.core.internal;

import io.fifoactors.core.MessageDecodingException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link BinaryWriter} wrote; any inconsistency is a {@link MessageDecodingException}. Not thread-safe. */
final class BinaryReader {
    private final byte[] buf;
    private final String what;
    private int pos;

    BinaryReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    private MessageDecodingException corrupt() {
        return new MessageDecodingException(what + " is corrupt at byte " + pos);
    }

    private void need(int n) {
        if (n < 0 || pos + n > buf.length) {
            throw corrupt();
        }
    }

    boolean atEnd() {
        return pos == buf.length;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw corrupt();
        }
        return b == 1;
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    throw corrupt();
                }
                return v;
            }
        }
        throw corrupt();
    }

    int readVarInt() {
        long v = readVarLong();
        if (v > Integer.MAX_VALUE) {
            throw corrupt();
        }
        return (int) v;
    }

    /** A count of entries each at least {@code minBytes} long, checked against what is left. */
    int readCount(int minBytes) {
        int n = readVarInt();
        if ((long) n * Math.max(1, minBytes) > buf.length - pos) {
            throw corrupt();
        }
        return n;
    }

    long readFixedLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    byte[] readBytes() {
        int n = readVarInt();
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    String readString() {
        int n = readVarInt();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    String readSequence() {
        int n = readVarInt();
        int bytes = (n + 1) / 2;
        need(bytes);
        char[] digits = new char[n];
        for (int i = 0; i < n; i++) {
            int b = buf[pos + i / 2] & 0xFF;
            int d = (i % 2 == 0) ? b >>> 4 : b & 0x0F;
            if (d > 9) {
                throw corrupt();
            }
            digits[i] = (char) ('0' + d);
        }
        pos += bytes;
        return new String(digits);
    }
}
