package io.fifoactors.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * What the message tag covers: group, id, type, the from attribute and the body, each length-prefixed. Built in one
 * array of the exact size (this runs for every message an actor sends and every one it receives): ASCII text, which
 * ids and types are, is copied character by character; other text goes through its UTF-8 bytes.
 */
final class Signing {
    private static final byte[] DOMAIN = "fifo-actors message v1".getBytes(StandardCharsets.US_ASCII);

    private Signing() {
    }

    static byte[] input(String groupId, String messageId, String type, String from, byte[] body) {
        byte[] group = utf8UnlessAscii(groupId);
        byte[] id = utf8UnlessAscii(messageId);
        byte[] t = utf8UnlessAscii(type);
        byte[] f = utf8UnlessAscii(from);
        int size = DOMAIN.length + 5 * 4 + length(groupId, group) + length(messageId, id) + length(type, t)
                + length(from, f) + body.length;
        byte[] out = new byte[size];
        System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
        int at = DOMAIN.length;
        at = field(out, at, groupId, group);
        at = field(out, at, messageId, id);
        at = field(out, at, type, t);
        at = field(out, at, from, f);
        at = prefix(out, at, body.length);
        System.arraycopy(body, 0, out, at, body.length);
        return out;
    }

    /** The UTF-8 bytes of {@code s}, or null if it is ASCII (then its characters are its bytes). */
    private static byte[] utf8UnlessAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static int length(String s, byte[] utf8) {
        return utf8 == null ? s.length() : utf8.length;
    }

    private static int field(byte[] out, int at, String s, byte[] utf8) {
        if (utf8 != null) {
            at = prefix(out, at, utf8.length);
            System.arraycopy(utf8, 0, out, at, utf8.length);
            return at + utf8.length;
        }
        int n = s.length();
        at = prefix(out, at, n);
        for (int i = 0; i < n; i++) {
            out[at + i] = (byte) s.charAt(i);
        }
        return at + n;
    }

    private static int prefix(byte[] out, int at, int n) {
        out[at] = (byte) (n >>> 24);
        out[at + 1] = (byte) (n >>> 16);
        out[at + 2] = (byte) (n >>> 8);
        out[at + 3] = (byte) n;
        return at + 4;
    }
}
