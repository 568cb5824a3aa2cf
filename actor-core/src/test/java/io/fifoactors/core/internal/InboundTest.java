package io.fifoactors.core.internal;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.fifoactors.core.internal.Fixtures.A;
import static io.fifoactors.core.internal.Fixtures.COUNTER;
import static io.fifoactors.core.internal.Fixtures.KEYS;
import static io.fifoactors.core.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing in an envelope is trusted before it is checked: forged senders, sequences and system messages are refused. */
class InboundTest {
    private static Delivery signedFrom(String sender, long seq) {
        return Fixtures.fromActor(1, COUNTER.id(sender), seq, T0, T0, new Fixtures.Add(1));
    }

    @Test
    void aProducersMessageCarriesOnlyItsType() {
        Inbound in = Inbound.parse(Fixtures.raw(1, Map.of(Envelope.TYPE, "Add"), "{}"), KEYS);
        assertEquals(Inbound.Kind.DOMAIN, in.kind());
        assertTrue(in.from().isEmpty());
    }

    @Test
    void anActorsSignedMessageIsAuthenticatedWithItsSender() {
        Inbound in = Inbound.parse(signedFrom("b", 12), KEYS);
        assertEquals(Inbound.Kind.DOMAIN, in.kind());
        assertEquals(COUNTER.id("b").groupId(), in.from().orElseThrow().senderGroupId());
        assertEquals(12, in.from().orElseThrow().seq());
    }

    @Test
    void anyChangeToASignedMessageIsRefused() {
        Delivery d = signedFrom("b", 12);
        Map<String, String> attrs = new LinkedHashMap<>(d.attributes());
        attrs.put(Envelope.FROM, attrs.get(Envelope.FROM).replace(" 12 ", " 13 "));
        Delivery changedSeq = new Delivery(d.messageId(), d.groupId(), d.sequenceNumber(), 1, T0, attrs, d.body(), "r");
        assertRefused(changedSeq, "does not match");
        Delivery changedBody = new Delivery(d.messageId(), d.groupId(), d.sequenceNumber(), 1, T0, d.attributes(),
                "{\"n\":1000}".getBytes(), "r");
        assertRefused(changedBody, "does not match");
        Delivery otherGroup = new Delivery(d.messageId(), COUNTER.id("z").groupId(), d.sequenceNumber(), 1, T0,
                d.attributes(), d.body(), "r");
        assertRefused(otherGroup, "does not match");
    }

    @Test
    void aSenderWithoutATagOrWithAnUnknownKeyIsRefused() {
        assertRefused(Fixtures.raw(1, Map.of(Envelope.TYPE, "Add", Envelope.FROM, "counter/b 1 0"), "{}"),
                "without fa-auth");
        Delivery d = signedFrom("b", 1);
        assertRefused(d, MessageKeys.of("other", new byte[32]), "unknown key");
        assertRefused(d, MessageKeys.forSimulation(8), "does not match");
    }

    @Test
    void systemMessagesMustBeSignedAndReservedAttributesAreTheRuntimes() {
        assertRefused(Fixtures.raw(1, Map.of(Envelope.TYPE, Envelope.SYSTEM_UNPARK), "SKIP"), "system message");
        assertRefused(Fixtures.raw(1, Map.of(Envelope.TYPE, "Add", "fa-sqs-id", "x"), "{}"), "reserved attribute");
        var wake = Outbound.system(A, "w-1", Envelope.SYSTEM_WAKE, new byte[0], KEYS);
        Inbound in = Inbound.parse(new Delivery("w-1", A.groupId(), "1", 1, Instant.EPOCH, wake.attributes(),
                wake.body(), "r"), KEYS);
        assertEquals(Inbound.Kind.WAKE, in.kind());
    }

    @Test
    void aRotatedKeyIsStillAcceptedAsThePrevious() {
        Delivery d = signedFrom("b", 1);
        MessageKeys rotated = MessageKeys.of("k2", new byte[32]).withPrevious("sim", simSecret());
        assertEquals(Inbound.Kind.DOMAIN, Inbound.parse(d, rotated).kind());
    }

    private static byte[] simSecret() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("fifo-actors simulation key " + 7).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(Delivery d, String reasonPart) {
        assertRefused(d, KEYS, reasonPart);
    }

    private static void assertRefused(Delivery d, MessageKeys keys, String reasonPart) {
        Inbound in = Inbound.parse(d, keys);
        assertEquals(Inbound.Kind.REFUSED, in.kind());
        assertTrue(in.problem().orElseThrow().contains(reasonPart), in.problem().orElseThrow());
    }

    @Test
    void theFromAttributeIsASenderGroupIdAPositiveSequenceAndACommitTimeSeparatedBySingleSpaces() {
        assertEquals(java.util.Optional.of(new Inbound.From("counter/a", 7, 0)), Inbound.parseFrom("counter/a 7 0"));
        assertEquals(java.util.Optional.of(new Inbound.From("counter/a", 1, 1_700_000_000_000L)),
                Inbound.parseFrom("counter/a 1 1700000000000"));
        for (String bad : new String[]{"", "counter/a", "counter/a 7", "counter/a 7 0 1", "counter/a  7 0",
                "counter/a 7 0 ", " counter/a 7 0", "counter/a 0 0", "counter/a 7 -1", "counter/a x 0",
                "counter/a 7 0x", "counter 7 0", "/a 7 0", "counter/ 7 0", "counter/a 99999999999999999999 0",
                "1counter/a 7 0"}) {
            assertEquals(java.util.Optional.empty(), Inbound.parseFrom(bad), bad);
        }
    }
}
