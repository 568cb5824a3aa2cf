package io.fifoactors.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the actor record's encoding to a growing array: unsigned LEB128 varints, fixed 8-byte longs (big-endian),
 * strings and byte arrays as a varint length then the bytes (strings as UTF-8). Not thread-safe.
 */
final class BinaryWriter {
    private byte[] buf;
    private int pos;

    BinaryWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
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

    /** Unsigned varint; {@code v} must not be negative. */
    void writeVarLong(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("a varint is not negative: " + v);
        }
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeVarInt(int v) {
        writeVarLong(v);
    }

    void writeFixedLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[pos++] = (byte) (v >>> (i * 8));
        }
    }

    void writeBytes(byte[] b) {
        writeVarInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    void writeString(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                writeBytes(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        // ASCII (ids, types, keys: nearly every string the record holds): its characters are its UTF-8 bytes
        writeVarInt(n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    /** A decimal sequence number, two digits a byte (a 39-digit SQS number takes 21 bytes). */
    void writeSequence(String digits) {
        int n = digits.length();
        writeVarInt(n);
        ensure((n + 1) / 2);
        for (int i = 0; i < n; i += 2) {
            int hi = digits.charAt(i) - '0';
            int lo = i + 1 < n ? digits.charAt(i + 1) - '0' : 0;
            buf[pos++] = (byte) ((hi << 4) | lo);
        }
    }

    int size() {
        return pos;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
