package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trace context on actor-to-actor messages: beside the signed envelope, never in it, never past the size limit. */
class OutboundTraceTest {
    private static final MessageKeys KEYS = MessageKeys.forSimulation(7);
    private static final ActorId FROM = ActorId.of("account", "a");
    private static final String TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /** A message whose body is {@code bodyBytes} of text (counted as they are, not as Base64). */
    private static OutboxEntry.Message entry(int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        java.util.Arrays.fill(body, (byte) 'a');
        return new OutboxEntry.Message(3, 1_000, "account/b", "Credit", body);
    }

    @Test
    void theContextIsAnUnsignedAttributeBesideTheEnvelope() {
        OutgoingMessage plain = Outbound.message(FROM, Outbound.idPrefix(FROM), entry(10), KEYS);
        OutgoingMessage traced = Outbound.message(FROM, Outbound.idPrefix(FROM), entry(10), KEYS, TP);
        assertEquals(Set.of(Envelope.TYPE, Envelope.FROM, Envelope.AUTH), plain.attributes().keySet());
        assertEquals(TP, traced.attributes().get(Envelope.TRACEPARENT));
        assertEquals(plain.attributes().get(Envelope.AUTH), traced.attributes().get(Envelope.AUTH),
                "the tag does not cover the context");
        assertEquals(plain.messageId(), traced.messageId(), "the id (deduplication) does not depend on it");
        // and a delivery of it authenticates, with or without the context, which is not reserved
        var d = new io.fifoactors.core.port.Delivery(traced.messageId(), traced.groupId(), "1", 1,
                java.time.Instant.ofEpochMilli(2_000), traced.attributes(), traced.body(), "r");
        Inbound in = Inbound.parse(d, KEYS);
        assertEquals(Inbound.Kind.DOMAIN, in.kind(), in.problem().orElse(""));
    }

    @Test
    void aMessageTheContextWouldMakeTooLargeGoesWithoutIt() {
        OutgoingMessage probe = Outbound.message(FROM, Outbound.idPrefix(FROM), entry(0), KEYS);
        int room = (int) (Mailbox.MAX_MESSAGE_BYTES - Mailbox.sizeOf(probe));
        int contextBytes = Envelope.TRACEPARENT.length() + "String".length() + TP.length();

        OutgoingMessage fits = Outbound.message(FROM, Outbound.idPrefix(FROM), entry(room - contextBytes), KEYS, TP);
        assertEquals(TP, fits.attributes().get(Envelope.TRACEPARENT));
        assertEquals(Mailbox.MAX_MESSAGE_BYTES, Mailbox.sizeOf(fits));

        OutgoingMessage full = Outbound.message(FROM, Outbound.idPrefix(FROM), entry(room - contextBytes + 1), KEYS,
                TP);
        assertTrue(!full.attributes().containsKey(Envelope.TRACEPARENT));
        assertTrue(Mailbox.sizeOf(full) <= Mailbox.MAX_MESSAGE_BYTES);
    }
}
