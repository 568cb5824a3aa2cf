package io.fifoactors.core.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class SigningTest {
    /** The signed input as the wire format defines it, built the plain way. */
    private static byte[] reference(String group, String id, String type, String from, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("fifo-actors message v1".getBytes(StandardCharsets.US_ASCII));
        for (byte[] field : new byte[][]{group.getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8),
                type.getBytes(StandardCharsets.UTF_8), from.getBytes(StandardCharsets.UTF_8), body}) {
            int n = field.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            out.writeBytes(field);
        }
        return out.toByteArray();
    }

    @Test
    void theInputIsTheDomainAndEachFieldLengthPrefixedInUtf8() {
        String[][] cases = {
                {"account/acc-1", "3f2a-17", "credit", "account/acc-2 17 1700000000000"},
                {"", "", "", ""},
                {"account/ä", "id-é", "typ€", "from 𝄞"},
                {"inventory/sku-9", "m", "fa:timer", ""},
        };
        for (String[] c : cases) {
            for (byte[] body : new byte[][]{new byte[0], "{\"amount\":5}".getBytes(StandardCharsets.UTF_8),
                    new byte[300]}) {
                assertArrayEquals(reference(c[0], c[1], c[2], c[3], body), Signing.input(c[0], c[1], c[2], c[3], body),
                        String.join("|", c));
            }
        }
    }
}
