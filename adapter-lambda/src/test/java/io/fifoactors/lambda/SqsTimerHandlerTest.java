package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.TimerEnvelope;
import io.fifoactors.sqswire.WireAttribute;
import io.fifoactors.sqswire.WireMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timer queue's handler: carriers from event records to the forwarder, its failures to the batch response. */
class SqsTimerHandlerTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** A handler over a forwarder of the test's, with its output lines captured. */
    private static final class Rig {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<List<WireMessage>> batches = new CopyOnWriteArrayList<>();
        final SqsTimerHandler handler;

        Rig(TimerForwarding forwarding) {
            this(Map.of(), forwarding);
        }

        Rig(Map<String, String> env, TimerForwarding forwarding) {
            TimerForwarding recording = carriers -> {
                batches.add(List.copyOf(carriers));
                return forwarding.forward(carriers);
            };
            handler = SqsTimerHandler.builder().environment(env).wiring(settings -> recording)
                    .output(lines::add).build();
        }

        SQSBatchResponse handle(SQSEvent event) {
            return handler.handleRequest(event, TestContext.plenty("req-timers"));
        }

        List<JsonNode> messages(String message) {
            List<JsonNode> out = new ArrayList<>();
            synchronized (lines) {
                for (String l : lines) {
                    try {
                        JsonNode n = Harness.JSON.readTree(l);
                        if (message.equals(n.path("message").asText())) {
                            out.add(n);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON line: " + l, e);
                    }
                }
            }
            return out;
        }

        JsonNode metrics() {
            List<JsonNode> docs = new ArrayList<>();
            synchronized (lines) {
                for (String l : lines) {
                    try {
                        JsonNode n = Harness.JSON.readTree(l);
                        if (n.has("_aws")) {
                            docs.add(n);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            assertFalse(docs.isEmpty(), "no EMF document");
            return docs.get(docs.size() - 1);
        }
    }

    /** The event record of a carrier as a standard queue's event source mapping delivers it. */
    private static SQSEvent.SQSMessage record(String sqsMessageId, EncodedMessage carrier) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(sqsMessageId);
        m.setReceiptHandle("handle-" + sqsMessageId);
        m.setBody(carrier.body());
        m.setEventSource("aws:sqs");
        m.setEventSourceArn("arn:aws:sqs:eu-west-1:123456789012:actors-timers");
        Map<String, String> system = new LinkedHashMap<>();
        system.put("ApproximateReceiveCount", "1");
        system.put("SentTimestamp", Long.toString(NOW.toEpochMilli()));
        system.put("SenderId", "AROAEXAMPLE:actors");
        system.put("ApproximateFirstReceiveTimestamp", Long.toString(NOW.toEpochMilli()));
        m.setAttributes(system);
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        carrier.attributes().forEach((name, a) -> {
            SQSEvent.MessageAttribute v = new SQSEvent.MessageAttribute();
            v.setDataType(a.dataType());
            if (a.binaryValue() != null) {
                v.setBinaryValue(ByteBuffer.wrap(a.binaryValue()));
            } else {
                v.setStringValue(a.stringValue());
            }
            attributes.put(name, v);
        });
        m.setMessageAttributes(attributes);
        return m;
    }

    private static SQSEvent event(SQSEvent.SQSMessage... records) {
        SQSEvent e = new SQSEvent();
        e.setRecords(new ArrayList<>(List.of(records)));
        return e;
    }

    private static EncodedMessage carrier(String group, String id, Instant due) {
        return TimerEnvelope.encode(new ScheduledMessage(new OutgoingMessage(group, id,
                Map.of("fa-type", "Expire"), "{}".getBytes(StandardCharsets.UTF_8)), due));
    }

    private static List<String> failedIds(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toList());
    }

    private static Map<String, String> decoded(Map<String, WireAttribute> attributes) {
        Map<String, String> out = new HashMap<>();
        attributes.forEach((k, v) -> out.put(k, v.dataType() + ":" + SqsWire.decodeValue(v)));
        return out;
    }

    @Test
    void aCarrierFromAnEventRecordForwardsExactlyAsTheMailboxWouldHaveSentTheMessage() {
        // a body that is not SQS text and an attribute value SQS cannot carry as a String: both travel encoded
        OutgoingMessage original = new OutgoingMessage("hold/seat-7", "timer-expiry-42",
                Map.of("fa-type", "Expire", "x-note", "line\u0000break"), new byte[] {(byte) 0xff, 0, 1, 2});
        EncodedMessage carrier = TimerEnvelope.encode(new ScheduledMessage(original, NOW.plusSeconds(30)));
        List<TimerEnvelope.Timer> read = new CopyOnWriteArrayList<>();
        List<EncodedMessage> forwarded = new CopyOnWriteArrayList<>();
        Rig rig = new Rig(carriers -> {
            for (WireMessage c : carriers) {
                TimerEnvelope.Timer t = TimerEnvelope.read(c);
                read.add(t);
                forwarded.add(TimerEnvelope.forward(t));
            }
            return new TimerForwarding.Result(List.of(), carriers.size(), 0, 0);
        });

        SQSBatchResponse r = rig.handle(event(record("sqs-1", carrier)));

        assertEquals(List.of(), failedIds(r));
        TimerEnvelope.Timer t = read.get(0);
        assertEquals(NOW.plusSeconds(30), t.dueAt());
        assertEquals("hold/seat-7", t.groupId());
        assertEquals("timer-expiry-42", t.messageId());
        assertEquals("sqs-1", t.carrier().sqsMessageId());
        assertEquals("handle-sqs-1", t.carrier().receiptHandle());
        EncodedMessage direct = SqsWire.encode(original);
        EncodedMessage viaTimer = forwarded.get(0);
        assertEquals(direct.groupId(), viaTimer.groupId());
        assertEquals(direct.deduplicationId(), viaTimer.deduplicationId(), "a carrier forwarded twice is one message");
        assertEquals(direct.body(), viaTimer.body());
        assertEquals(decoded(direct.attributes()), decoded(viaTimer.attributes()));
        assertArrayEquals(original.body(), SqsWire.toDelivery(new WireMessage("m", "h", viaTimer.body(),
                Map.of("MessageGroupId", "hold/seat-7", "SequenceNumber", "1", "ApproximateReceiveCount", "1",
                        "SentTimestamp", "0"), viaTimer.attributes())).body(), "the body arrives as it was sent");
    }

    @Test
    void failedCarriersAreReportedByTheirRecordsAndTheCountsBecomeMetrics() {
        SQSEvent.SQSMessage first = record("sqs-1", carrier("hold/a", "t-1", NOW));
        SQSEvent.SQSMessage second = record("sqs-2", carrier("hold/b", "t-2", NOW.plusSeconds(3600)));
        SQSEvent.SQSMessage third = record("sqs-3", carrier("hold/c", "t-3", NOW));
        Rig rig = new Rig(Map.of(LambdaSettings.METRICS_NAMESPACE, "Timers/Test"), carriers -> {
            // the second by identity, the third as a copy with the same SQS message id
            WireMessage copy = new WireMessage(carriers.get(2).sqsMessageId(), null, "", null, null);
            return new TimerForwarding.Result(List.of(carriers.get(1), copy, carriers.get(1)), 1, 0, 0);
        });

        SQSBatchResponse r = rig.handle(event(first, second, third));

        assertEquals(List.of("sqs-2", "sqs-3"), failedIds(r), "each failed record once, in the forwarder's order");
        assertEquals(3, rig.batches.get(0).size());
        JsonNode m = rig.metrics();
        JsonNode directive = m.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("Timers/Test", directive.get("Namespace").asText());
        List<String> names = new ArrayList<>();
        directive.get("Metrics").forEach(d -> names.add(d.get("Name").asText()));
        assertEquals(SqsTimerHandler.METRICS, names);
        assertEquals(1, m.get("TimersForwarded").asInt());
        assertEquals(0, m.get("TimersResent").asInt());
        assertEquals(3, m.get("BatchSize").asInt());
        assertEquals(2, m.get("BatchItemFailures").asInt());
        assertEquals("tally-function", m.get("FunctionName").asText());
        JsonNode line = rig.messages("timer-batch").get(0);
        assertEquals("WARN", line.get("level").asText());
        assertEquals(2, line.get("failures").asInt());
        assertEquals("req-timers", line.get("requestId").asText());
        assertTrue(line.get("coldStart").asBoolean());
    }

    @Test
    void notDueCarriersSentOnAndForeignMessagesDroppedAreNotFailures() {
        WireMessage[] seen = new WireMessage[2];
        Rig rig = new Rig(carriers -> {
            int resent = 0;
            int dropped = 0;
            for (WireMessage c : carriers) {
                try {
                    TimerEnvelope.Timer t = TimerEnvelope.read(c);
                    if (!TimerEnvelope.decide(t.dueAt(), NOW, TimerEnvelope.MAX_HOP).forwardNow()) {
                        resent++;
                        seen[0] = c;
                    }
                } catch (PermanentFailureException notATimer) {
                    dropped++;
                    seen[1] = c;
                }
            }
            return new TimerForwarding.Result(List.of(), 0, resent, dropped);
        });
        SQSEvent.SQSMessage foreign = record("sqs-9", new EncodedMessage(null, null, "hello", Map.of(), 5));

        SQSBatchResponse r = rig.handle(event(record("sqs-1", carrier("hold/a", "t-1", NOW.plusSeconds(3600))),
                foreign));

        assertEquals(List.of(), failedIds(r), "the event source mapping deletes them: sent on or not a timer");
        assertEquals("sqs-1", seen[0].sqsMessageId());
        assertEquals("sqs-9", seen[1].sqsMessageId());
        JsonNode m = rig.metrics();
        assertEquals(1, m.get("TimersResent").asInt());
        assertEquals(1, m.get("TimersDropped").asInt());
        assertEquals("WARN", rig.messages("timer-batch").get(0).get("level").asText(), "a dropped message is news");
    }

    @Test
    void aForwarderThatFailsAsAWholeReportsEveryCarrier() {
        Rig rig = new Rig(carriers -> {
            throw new io.fifoactors.core.TransientFailureException("SendMessageBatch failed: throttled");
        });
        SQSBatchResponse r = rig.handle(event(record("sqs-1", carrier("hold/a", "t-1", NOW)),
                record("sqs-2", carrier("hold/b", "t-2", NOW))));
        assertEquals(List.of("sqs-1", "sqs-2"), failedIds(r));
        JsonNode error = rig.messages("timer-batch-failed").get(0);
        assertEquals("ERROR", error.get("level").asText());
        assertTrue(error.get("error").asText().contains("throttled"), error.toString());
        assertEquals(2, rig.metrics().get("BatchItemFailures").asInt());
    }

    @Test
    void aVirtualMachineErrorFailsTheInvocation() {
        Rig rig = new Rig(carriers -> {
            throw new InternalError("simulated");
        });
        assertThrows(InternalError.class, () -> rig.handle(event(record("sqs-1", carrier("hold/a", "t-1", NOW)))));
    }

    @Test
    void aRecordWithoutMessageIdFailsTheWholeInvocation() {
        AtomicInteger calls = new AtomicInteger();
        Rig rig = new Rig(carriers -> {
            calls.incrementAndGet();
            return new TimerForwarding.Result(List.of(), 0, 0, 0);
        });
        SQSEvent.SQSMessage anonymous = record("x", carrier("hold/a", "t-1", NOW));
        anonymous.setMessageId(null);
        assertThrows(IllegalStateException.class, () -> rig.handle(event(anonymous)));
        assertEquals(0, calls.get(), "nothing was forwarded that could not be reported");
    }

    @Test
    void anEmptyEventForwardsNothingButReportsMetrics() {
        AtomicInteger calls = new AtomicInteger();
        Rig rig = new Rig(carriers -> {
            calls.incrementAndGet();
            return new TimerForwarding.Result(List.of(), 0, 0, 0);
        });
        assertEquals(List.of(), failedIds(rig.handle(new SQSEvent())));
        assertEquals(0, calls.get());
        assertEquals(0, rig.metrics().get("BatchSize").asInt());
    }

    /** A timer wiring for FA_WIRING: counts its forwardings and primings. */
    public static final class CountingTimerWiring implements TimerWiring {
        static final AtomicInteger PRIMED = new AtomicInteger();

        @Override
        public TimerForwarding timerForwarding(LambdaSettings settings) {
            settings.requireAll(LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.QUEUE_URL);
            return carriers -> new TimerForwarding.Result(List.of(), carriers.size(), 0, 0);
        }

        @Override
        public void primeTimers(TimerForwarding forwarding, LambdaSettings settings) {
            PRIMED.incrementAndGet();
            throw new IllegalStateException("the queue is not reachable yet");
        }
    }

    @Test
    void theWiringNamedInTheEnvironmentIsInstantiatedWithoutMessageKeysAndPrimed() {
        List<String> lines = new ArrayList<>();
        int before = CountingTimerWiring.PRIMED.get();
        SqsTimerHandler h = SqsTimerHandler.builder().environment(Map.of(
                LambdaSettings.WIRING, CountingTimerWiring.class.getName(),
                LambdaSettings.TIMER_QUEUE_URL, "https://sqs/timers", LambdaSettings.QUEUE_URL, "https://sqs/q.fifo"))
                .output(lines::add).build();
        assertEquals(before + 1, CountingTimerWiring.PRIMED.get());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"priming-failed\"") && l.contains("not reachable")),
                "a priming failure is logged, never fatal: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"message\":\"init\"") && l.contains("\"timers\"")),
                lines.toString());
        SQSBatchResponse r = h.handleRequest(event(record("sqs-1", carrier("hold/a", "t-1", NOW))),
                TestContext.plenty("r"));
        assertEquals(List.of(), failedIds(r));
        assertTrue(h.initDuration().toMillis() >= 0);
    }

    /** An actor wiring only. */
    public static final class ActorsOnly implements ActorWiring {
        @Override
        public void register(ActorSystem.Builder system, LambdaSettings settings) {
        }
    }

    @Test
    void initErrorsNameTheTimerWiring() {
        String missing = assertThrows(ConfigurationException.class, () -> SqsTimerHandler.builder()
                .environment(Map.of()).output(l -> { }).build()).getMessage();
        assertEquals("the function's environment lacks FA_WIRING: set it to the class name of your"
                + " io.fifoactors.lambda.TimerWiring", missing);
        String wrongKind = assertThrows(ConfigurationException.class, () -> SqsTimerHandler.builder()
                .environment(Map.of(LambdaSettings.WIRING, ActorsOnly.class.getName())).output(l -> { }).build())
                .getMessage();
        assertTrue(wrongKind.endsWith("which does not implement io.fifoactors.lambda.TimerWiring"), wrongKind);
        String lacks = assertThrows(ConfigurationException.class, () -> SqsTimerHandler.builder()
                .environment(Map.of(LambdaSettings.WIRING, CountingTimerWiring.class.getName()))
                .output(l -> { }).build()).getMessage();
        assertEquals("the function's environment lacks FA_TIMER_QUEUE_URL, FA_QUEUE_URL (required by "
                + CountingTimerWiring.class.getName() + ")", lacks);
        String none = assertThrows(ConfigurationException.class, () -> SqsTimerHandler.builder()
                .environment(Map.of()).wiring(settings -> null).output(l -> { }).build()).getMessage();
        assertTrue(none.endsWith("returned no TimerForwarding"), none);
        assertEquals("SqsTimerHandler.builder() is missing environment(Map)",
                assertThrows(ConfigurationException.class, () -> SqsTimerHandler.builder().build()).getMessage());
    }
}
