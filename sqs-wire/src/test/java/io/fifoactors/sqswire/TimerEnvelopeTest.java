package io.fifoactors.sqswire;

import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.fifoactors.sqswire.SqsWireTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerEnvelopeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOP = TimerEnvelope.MAX_HOP;

    @Test
    void dueOrLateMeansForwardNow() {
        assertTrue(TimerEnvelope.decide(T0, T0, HOP).forwardNow());
        assertTrue(TimerEnvelope.decide(T0, T0.plusMillis(1), HOP).forwardNow());
        assertEquals(0, TimerEnvelope.firstDelaySeconds(T0, T0.plusSeconds(5), HOP));
    }

    @Test
    void notDueMeansWaitTheTimeLeftRoundedUpAtMostAHop() {
        assertEquals(new TimerEnvelope.Decision(false, 1), TimerEnvelope.decide(T0.plusMillis(1), T0, HOP));
        assertEquals(new TimerEnvelope.Decision(false, 3), TimerEnvelope.decide(T0.plusMillis(2001), T0, HOP));
        assertEquals(new TimerEnvelope.Decision(false, 900), TimerEnvelope.decide(T0.plusSeconds(901), T0, HOP));
        assertEquals(new TimerEnvelope.Decision(false, 900), TimerEnvelope.decide(T0.plus(Duration.ofDays(3)), T0, HOP));
        assertEquals(new TimerEnvelope.Decision(false, 2), TimerEnvelope.decide(T0.plusSeconds(60), T0,
                Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> TimerEnvelope.decide(T0.plusSeconds(1), T0,
                Duration.ofSeconds(901)));
    }

    @Test
    void neverEarlyWhateverTheRemainder() {
        for (long ms = 1; ms < 2 * 900_000; ms += 997) {
            Instant due = T0.plusMillis(ms);
            Instant now = T0;
            int hops = 0;
            while (true) {
                TimerEnvelope.Decision d = TimerEnvelope.decide(due, now, HOP);
                if (d.forwardNow()) {
                    break;
                }
                assertTrue(d.delaySeconds() >= 1 && d.delaySeconds() <= 900);
                now = now.plusSeconds(d.delaySeconds());
                hops++;
            }
            assertFalse(now.isBefore(due));
            assertTrue(Duration.between(due, now).compareTo(Duration.ofSeconds(1)) < 0, "at most a second late");
            assertEquals((ms + 899_999) / 900_000, hops);
        }
    }

    private static WireMessage carrierAsReceived(EncodedMessage e) {
        return new WireMessage("sqs-1", "rh", e.body(), Map.of(WireMessage.SENT_TIMESTAMP, "1"), e.attributes());
    }

    @Test
    void aCarrierIsForwardedWithBodyAndAttributesUnchanged() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("fa-type", "fa:timer");
        attrs.put("fa-from", "account/a 7 1700000000000");
        attrs.put("fa-auth", "k1:abc");
        attrs.put("e", "");
        byte[] body = {(byte) 0xFF, 1, 2};
        OutgoingMessage m = new OutgoingMessage("account/a", "t-9", attrs, body);
        EncodedMessage carrier = TimerEnvelope.encode(new ScheduledMessage(m, T0.plusSeconds(3600)));
        assertEquals(null, carrier.groupId());
        assertTrue(carrier.attributes().size() <= SqsWire.MAX_SQS_ATTRIBUTES);

        TimerEnvelope.Timer t = TimerEnvelope.read(carrierAsReceived(carrier));
        assertEquals(T0.plusSeconds(3600), t.dueAt());
        assertEquals("account/a", t.groupId());
        assertEquals("t-9", t.messageId());

        EncodedMessage forwarded = TimerEnvelope.forward(t);
        EncodedMessage direct = SqsWire.encode(m);
        assertEquals(direct.groupId(), forwarded.groupId());
        assertEquals(direct.deduplicationId(), forwarded.deduplicationId());
        assertEquals(direct.body(), forwarded.body());
        assertEquals(direct.attributes(), forwarded.attributes(), "the same bytes as a direct send");
        Delivery d = SqsWire.toDelivery(SqsWireTest.received(forwarded, "5", 1));
        assertArrayEquals(body, d.body());
        assertEquals(attrs, d.attributes());
        assertEquals(carrier.attributes(), TimerEnvelope.again(t).attributes());
    }

    @Test
    void malformedCarriersAreRefused() {
        assertThrows(PermanentFailureException.class, () -> TimerEnvelope.read(new WireMessage("x", "rh", "b", Map.of(),
                Map.of())));
        for (String bad : new String[] {"2 1 g m", "1 x g m", "1 1 g", "1 1 g m extra", "1 1  m"}) {
            assertThrows(PermanentFailureException.class, () -> TimerEnvelope.read(new WireMessage("x", "rh", "b",
                    Map.of(), Map.of(SqsWire.TIMER, WireAttribute.string(bad)))), bad);
        }
        assertThrows(PermanentFailureException.class, () -> TimerEnvelope.encode(new ScheduledMessage(
                new OutgoingMessage("g", "m", Map.of("fa-sqs-x", "v"), utf8("x")), T0)));
    }
}
