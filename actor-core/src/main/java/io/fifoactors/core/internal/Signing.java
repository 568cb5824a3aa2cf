package io.fifoactors.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What the message tag covers: group, id, type, the from attribute and the body, each length-prefixed. */
final class Signing {
    private static final byte[] DOMAIN = "fifo-actors message v1".getBytes(StandardCharsets.US_ASCII);

    private Signing() {
    }

    static byte[] input(String groupId, String messageId, String type, String from, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + body.length);
        out.writeBytes(DOMAIN);
        field(out, groupId.getBytes(StandardCharsets.UTF_8));
        field(out, messageId.getBytes(StandardCharsets.UTF_8));
        field(out, type.getBytes(StandardCharsets.UTF_8));
        field(out, from.getBytes(StandardCharsets.UTF_8));
        field(out, body);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] b) {
        int n = b.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(b);
    }
}
