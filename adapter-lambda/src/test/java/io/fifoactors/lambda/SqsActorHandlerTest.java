package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.core.ActorId;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler driven by realistic FIFO event JSON, over the in-memory adapters. */
class SqsActorHandlerTest {
    @BeforeEach
    void resetActor() {
        Tally.reset();
    }

    @Test
    void processesEveryGroupInOrderAndReportsNoFailures() {
        Harness h = new Harness();
        SQSBatchResponse r = h.handle(Harness.event("fifo-two-groups.json"));

        assertEquals(List.of(), Harness.failedIds(r));
        assertEquals(List.of(1L, 2L, 3L), h.tally("a").seen());
        assertEquals(List.of(10L), h.tally("b").seen());
        JsonNode m = h.metrics();
        assertEquals(4, m.get("Processed").asInt());
        assertEquals(4, m.get("BatchSize").asInt());
        assertEquals(0, m.get("BatchItemFailures").asInt());
        assertEquals("tally-function", m.get("FunctionName").asText());
        assertEquals(4, h.wiring.heard.stream().filter(o -> o.kind() == Outcome.Kind.APPLIED).count(),
                "the wiring's listener hears every outcome");
    }

    @Test
    void aDeadLetterNoteInTheMailboxIsDroppedNotHandedToTheRuntime() {
        Harness h = new Harness();
        SQSEvent event = Harness.event("fifo-two-groups.json");
        // a redrive from the dead-letter queue moves a letter's note back with it: a note marks the copy that
        // follows (fa-sqs-note = its dead-letter id); here it sits between tally/a's first and second messages
        SQSEvent.SQSMessage note = new SQSEvent.SQSMessage();
        note.setMessageId("note-sqs-id");
        note.setReceiptHandle("note-handle");
        note.setBody("-");
        Map<String, String> attributes = new java.util.HashMap<>(event.getRecords().get(0).getAttributes());
        attributes.put("SequenceNumber", "18849496460467696129"); // never read: a note never reaches the runtime
        attributes.put("MessageDeduplicationId", "note-1");
        note.setAttributes(attributes);
        SQSEvent.MessageAttribute link = new SQSEvent.MessageAttribute();
        link.setDataType("String");
        link.setStringValue("dl-7:a-2");
        SQSEvent.MessageAttribute id = new SQSEvent.MessageAttribute();
        id.setDataType("String");
        id.setStringValue("a-2");
        note.setMessageAttributes(Map.of("fa-sqs-note", link, "fa-sqs-id", id));
        List<SQSEvent.SQSMessage> records = new ArrayList<>(event.getRecords());
        records.add(2, note); // after b-1, before a-2
        event.setRecords(records);

        SQSBatchResponse r = h.handle(event);

        assertEquals(List.of(), Harness.failedIds(r), "the note is left for the event source mapping to delete");
        assertEquals(List.of(1L, 2L, 3L), h.tally("a").seen(), "the note is no message of tally/a");
        assertEquals(List.of(10L), h.tally("b").seen());
        JsonNode m = h.metrics();
        assertEquals(4, m.get("Processed").asInt());
        assertEquals(1, m.get("DeadLetterNotesDropped").asInt());
        assertEquals(5, m.get("BatchSize").asInt());
        assertEquals(0, h.messages("undecodable-record").size());
        JsonNode dropped = h.messages("dead-letter-note-dropped").get(0);
        assertEquals("note-sqs-id", dropped.get("sqsMessageId").asText());
        assertEquals("tally/a", dropped.get("actor").asText());
        assertEquals(4, h.wiring.heard.size(), "the runtime heard of the four messages only");
    }

    @Test
    void outcomeLogsNameActorMessageSequenceAndOutcomeButNoPayload() {
        Harness h = new Harness();
        SQSEvent event = Harness.event("fifo-two-groups.json");
        h.handle(event);

        List<JsonNode> outcomes = h.messages("outcome");
        assertEquals(4, outcomes.size(), h.lines.toString());
        JsonNode first = outcomes.stream().filter(o -> o.path("messageId").asText().equals("a-1")).findFirst()
                .orElseThrow();
        assertEquals("tally/a", first.get("actor").asText());
        assertEquals(event.getRecords().get(0).getAttributes().get("SequenceNumber"), first.get("sequence").asText());
        assertEquals(1, first.get("receiveCount").asInt());
        assertEquals("APPLIED", first.get("outcome").asText());
        assertEquals("INFO", first.get("level").asText());
        assertTrue(first.get("requestId").asText().startsWith("req-"));
        assertTrue(first.has("timestamp"));
        assertFalse(first.has("body"));
        for (String line : h.lines) {
            assertFalse(line.contains("amount"), "payload leaked into a log line: " + line);
        }
        JsonNode batch = h.messages("batch").get(0);
        assertEquals(4, batch.get("records").asInt());
        assertEquals(2, batch.get("groups").asInt());
        assertTrue(batch.get("coldStart").asBoolean());
        h.handle(Harness.event("fifo-two-groups.json"));
        assertFalse(h.messages("batch").get(1).get("coldStart").asBoolean());
    }

    @Test
    void payloadsAreLoggedOnlyWhenAskedFor() {
        Harness h = new Harness(Map.of(LambdaSettings.LOG_PAYLOADS, "true"));
        h.handle(Harness.event("fifo-two-groups.json"));
        assertTrue(h.messages("outcome").stream().anyMatch(o -> o.path("body").asText().equals("{\"amount\":1}")));
    }

    @Test
    void warnLevelDropsRoutineLinesButKeepsMetrics() {
        Harness h = new Harness(Map.of(LambdaSettings.LOG_LEVEL, "warn"));
        h.handle(Harness.event("fifo-two-groups.json"));
        assertEquals(List.of(), h.messages("outcome"));
        assertEquals(List.of(), h.messages("batch"));
        assertEquals(4, h.metrics().get("Processed").asInt());
    }

    @Test
    void partialFailureReportsTheFailedMessageAndTheRestOfItsGroupOnly() {
        Harness h = new Harness();
        SQSEvent event = Harness.event("fifo-partial-failure.json");
        SQSBatchResponse r = h.handle(event);

        assertEquals(Harness.sqsIds(event, "a-boom", "a-3"), Harness.failedIds(r));
        assertEquals(List.of(1L), h.tally("a").seen());
        assertEquals(List.of(10L, 20L), h.tally("b").seen());
        JsonNode m = h.metrics();
        assertEquals(3, m.get("Processed").asInt());
        assertEquals(2, m.get("BatchItemFailures").asInt());
        assertEquals(2, m.get("Retried").asInt());
        assertEquals("WARN", h.messages("batch").get(0).get("level").asText());
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredAfterMaxAttemptsAndTheGroupMovesOn() {
        Harness h = new Harness(); // maxAttempts 3
        SQSEvent event = Harness.event("fifo-partial-failure.json");
        List<String> failed = Harness.failedIds(h.handle(event));
        failed = Harness.failedIds(h.handle(Harness.redeliver(event, failed)));
        assertEquals(Harness.sqsIds(event, "a-boom", "a-3"), failed);

        SQSBatchResponse third = h.handle(Harness.redeliver(event, failed));

        assertEquals(List.of(), Harness.failedIds(third));
        assertEquals(List.of(1L, 3L), h.tally("a").seen());
        List<DeadLetter> dead = h.wiring.mailbox.deadLetters();
        assertEquals(1, dead.size());
        assertEquals("a-boom", dead.get(0).messageId());
        assertTrue(dead.get(0).reason().startsWith("handler failed 3 times"), dead.get(0).reason());
        assertEquals(1, h.metrics().get("DeadLettered").asInt());
    }

    @Test
    void redeliveredMessagesAreRecognisedAsDuplicates() {
        Harness h = new Harness();
        h.handle(Harness.event("fifo-two-groups.json"));
        h.clearOutput();
        SQSBatchResponse again = h.handle(Harness.event("fifo-two-groups.json"));

        assertEquals(List.of(), Harness.failedIds(again));
        assertEquals(List.of(1L, 2L, 3L), h.tally("a").seen());
        assertEquals(4, h.metrics().get("DuplicatesSkipped").asInt());
        assertEquals(0, h.metrics().get("Processed").asInt());
    }

    @Test
    void badMessagesAreDeadLetteredAndNeverFailTheInvocation() {
        Harness h = new Harness();
        SQSBatchResponse r = h.handle(Harness.event("fifo-bad-messages.json"));

        // only the record that is not from a FIFO queue cannot be handled; it is left to the queue's redrive
        assertEquals(List.of("not-fifo-record"), Harness.failedIds(r));
        Map<String, String> dead = h.wiring.mailbox.deadLetters().stream()
                .collect(Collectors.toMap(DeadLetter::messageId, DeadLetter::reason));
        assertEquals(java.util.Set.of("c-unknown-type", "c-no-type", "c-malformed", "n-1", "g-1"), dead.keySet());
        assertTrue(dead.get("g-1").contains("no actor type 'ghost'"), dead.get("g-1"));
        assertTrue(dead.get("c-unknown-type").contains("unknown message type"), dead.get("c-unknown-type"));
        assertEquals(List.of(9L), h.tally("c").seen());
        assertEquals(List.of(2L), h.tally("d").seen());
        assertEquals(5, h.metrics().get("DeadLettered").asInt());
        assertEquals(1, h.messages("undecodable-record").size());
        assertEquals("ERROR", h.messages("undecodable-record").get(0).get("level").asText());
    }

    @Test
    void noGroupStartsWhenTooLittleTimeRemains() {
        Harness h = new Harness(); // start reserve 3000 ms
        SQSEvent event = Harness.event("fifo-two-groups.json");
        SQSBatchResponse r = h.handler.handleRequest(event, new TestContext("late", 1_000));

        assertEquals(event.getRecords().stream().map(SQSEvent.SQSMessage::getMessageId).collect(Collectors.toList()),
                Harness.failedIds(r));
        assertEquals(List.of(), h.tally("a").seen());
        assertEquals(4, h.metrics().get("DeadlineSkipped").asInt());
        assertEquals(2, h.messages("group-not-started").size());
    }

    @Test
    void aGroupStillRunningAtTheResponseDeadlineIsReportedWhileOthersSucceed() throws Exception {
        Harness h = new Harness(Map.of(LambdaSettings.START_RESERVE_MS, "1000",
                LambdaSettings.RESPONSE_RESERVE_MS, "500"));
        SQSEvent event = Harness.event("fifo-blocking.json");
        try {
            SQSBatchResponse r = h.handler.handleRequest(event, new TestContext("slow", 1_700));

            assertEquals(Harness.sqsIds(event, "s-1", "s-2"), Harness.failedIds(r));
            assertEquals(List.of(1L), h.tally("fast").seen());
            assertEquals(2, h.metrics().get("DeadlineSkipped").asInt());
            assertEquals(1, h.messages("group-abandoned").size());
        } finally {
            Tally.GATES.computeIfAbsent("slow", g -> new CountDownLatch(1)).countDown();
        }
        // the group threads are still usable afterwards
        assertEquals(List.of(), Harness.failedIds(h.handle(Harness.event("fifo-two-groups.json"))));
    }

    @Test
    void groupsOfOneBatchAreProcessedConcurrently() {
        Harness h = new Harness();
        SQSBatchResponse r = h.handle(Harness.event("fifo-rendezvous.json"));
        assertEquals(List.of(), Harness.failedIds(r), "the two groups never met: " + h.lines);
    }

    @Test
    void anErrorFromAnActorIsAHandlerFailureOfThatMessageOnly() {
        Harness h = new Harness();
        SQSEvent event = Harness.event("fifo-errors.json");
        SQSBatchResponse r = h.handle(event);

        // the AssertionError counts as the handler failing on e-broken: the FIFO rule fails it and e-3, e-1 stands
        assertEquals(Harness.sqsIds(event, "e-broken", "e-3"), Harness.failedIds(r));
        assertEquals(List.of(1L), h.tally("e").seen());
        assertEquals(List.of(5L), h.tally("ok").seen());
        assertEquals(List.of(), h.messages("group-failed"), "nothing escaped the runtime");
    }

    @Test
    void aVirtualMachineErrorFailsTheInvocation() {
        Harness h = new Harness();
        assertThrows(InternalError.class, () -> h.handle(Harness.event("fifo-fatal.json")));
    }

    @Test
    void versionConflictsAreRetriedAndCounted() {
        AtomicBoolean raced = new AtomicBoolean();
        TestWiring wiring = new TestWiring(store -> new DelegatingStore(store) {
            @Override
            public void commit(ActorId id, long expectedVersion, StoredRecord next) {
                if (id.key().equals("a") && raced.compareAndSet(false, true)) {
                    throw new VersionConflictException(id, expectedVersion);
                }
                super.commit(id, expectedVersion, next);
            }
        }, null);
        Harness h = new Harness(Map.of(), wiring);
        SQSBatchResponse r = h.handle(Harness.event("fifo-two-groups.json"));

        assertEquals(List.of(), Harness.failedIds(r));
        assertEquals(List.of(1L, 2L, 3L), h.tally("a").seen());
        assertEquals(1, h.metrics().get("VersionConflicts").asInt());
    }

    @Test
    void theRecordsOfAllGroupsAreReadInOneRequest() {
        // docs/deploy/template.yaml grants dynamodb:BatchGetItem for this (and GetItem for single reloads)
        CountingReads counting = new CountingReads();
        Harness h = new Harness(Map.of(), new TestWiring(counting::wrap, null));
        h.handle(Harness.event("fifo-partial-failure.json"));
        assertEquals(1, counting.batchReads.get());
        assertEquals(0, counting.singleReads.get());
        assertEquals(List.of(10L, 20L), h.tally("b").seen(), "both groups ran");
    }

    @Test
    void withARecordCacheTheNextInvocationForTheSameActorsReadsNothing() {
        CountingReads counting = new CountingReads();
        Harness h = new Harness(Map.of(LambdaSettings.RECORD_CACHE, "100"), new TestWiring(counting::wrap, null));
        assertEquals(List.of(), Harness.failedIds(h.handle(Harness.event("fifo-two-groups.json"))));
        assertEquals(1, counting.all(), "the first batch is read");

        // the same actors' next messages: later sequence numbers, new ids
        SQSEvent next = Harness.event("fifo-two-groups.json");
        for (SQSEvent.SQSMessage m : next.getRecords()) {
            Map<String, String> attrs = new java.util.HashMap<>(m.getAttributes());
            attrs.put("SequenceNumber", new java.math.BigInteger(attrs.get("SequenceNumber"))
                    .add(java.math.BigInteger.valueOf(100)).toString());
            attrs.put("MessageDeduplicationId", "next-" + attrs.get("MessageDeduplicationId"));
            m.setAttributes(attrs);
            m.setMessageId("next-" + m.getMessageId());
        }
        assertEquals(List.of(), Harness.failedIds(h.handle(next)));
        assertEquals(1, counting.all(), "the second batch came from the container's cache");
        assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L), h.tally("a").seen());
    }

    @Test
    void anEmptyEventGetsAnEmptyResponseAndMetrics() {
        Harness h = new Harness();
        SQSBatchResponse r = h.handle(new SQSEvent());
        assertEquals(List.of(), r.getBatchItemFailures());
        assertEquals(0, h.metrics().get("BatchSize").asInt());
    }

    @Test
    void metricsAreEmbeddedMetricFormat() {
        Harness h = new Harness(Map.of(LambdaSettings.METRICS_NAMESPACE, "Ledger/Test"));
        h.handle(Harness.event("fifo-two-groups.json"));
        JsonNode m = h.metrics();
        JsonNode directive = m.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("Ledger/Test", directive.get("Namespace").asText());
        assertEquals("FunctionName", directive.get("Dimensions").get(0).get(0).asText());
        List<String> names = new ArrayList<>();
        directive.get("Metrics").forEach(d -> names.add(d.get("Name").asText()));
        assertEquals(Telemetry.METRICS, names);
        for (String name : names) {
            assertTrue(m.get(name).isNumber(), name + " has no value");
        }
        assertTrue(m.get("_aws").get("Timestamp").isNumber());
        assertEquals("Milliseconds", directive.get("Metrics").get(names.indexOf("BatchDuration")).get("Unit").asText());
    }

    @Test
    void initPrimesOnceAndLogsItsDuration() {
        Harness h = new Harness();
        assertEquals(1, h.wiring.primed.get());
        JsonNode init = h.messages("init").get(0);
        assertTrue(init.get("initMillis").isNumber());
        assertEquals(3, init.get("settings").get("maxAttempts").asInt());
        assertEquals(TestWiring.class.getName(), init.get("wiring").asText());
        assertEquals(List.of(), h.messages("advice"), "a queue without a redrive policy needs no advice");
    }

    @Test
    void aFailingPrimingIsLoggedAndDoesNotStopTheFunction() {
        Harness h = new Harness(Map.of(), new TestWiring(s -> s, new IllegalStateException("no network at init")));
        assertEquals(1, h.messages("priming-failed").size());
        assertEquals(List.of(), Harness.failedIds(h.handle(Harness.event("fifo-two-groups.json"))));
    }

    @Test
    void aQueueRedrivePolicyIsExplainedAtInit() {
        InMemoryMailbox redriving = InMemoryMailbox.builder().clock(java.time.Clock.systemUTC()).maxReceiveCount(20)
                .build();
        Harness h = new Harness(Map.of(), new TestWiring(s -> s, null, redriving));
        String advice = h.messages("advice").get(0).get("detail").asText();
        assertTrue(advice.contains("redrive policy (after 20 receives)"), advice);
    }

    @Test
    void aStoreOutageShorterThanTheInvocationCostsNoReceive() {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(3);
        TestWiring wiring = new TestWiring(store -> new DelegatingStore(store) {
            @Override
            public Map<ActorId, StoredRecord> loadAll(java.util.Collection<ActorId> ids,
                                                      io.fifoactors.core.port.Consistency c) {
                if (failures.getAndDecrement() > 0) {
                    throw new io.fifoactors.core.TransientFailureException("simulated outage");
                }
                return super.loadAll(ids, c);
            }

            @Override
            public Optional<StoredRecord> load(ActorId id) {
                if (failures.get() > 0) {
                    throw new io.fifoactors.core.TransientFailureException("simulated outage");
                }
                return super.load(id);
            }
        }, null);
        Harness h = new Harness(Map.of(), wiring);
        SQSBatchResponse r = h.handle(Harness.event("fifo-two-groups.json"));
        assertEquals(List.of(), Harness.failedIds(r), "held and tried again within the invocation: " + h.lines);
        assertEquals(List.of(1L, 2L, 3L), h.tally("a").seen());
        assertTrue(h.metrics().get("HeldForPortFailures").asInt() >= 1);
        assertTrue(h.metrics().get("PortFailures").asInt() >= 1);
    }

    @Test
    void aStoreOutageLongerThanTheInvocationIsReportedAndItsRedeliveryDelayed() {
        TestWiring wiring = new TestWiring(store -> new DelegatingStore(store) {
            @Override
            public Map<ActorId, StoredRecord> loadAll(java.util.Collection<ActorId> ids,
                                                      io.fifoactors.core.port.Consistency c) {
                throw new io.fifoactors.core.TransientFailureException("simulated outage");
            }

            @Override
            public Optional<StoredRecord> load(ActorId id) {
                throw new io.fifoactors.core.TransientFailureException("simulated outage");
            }
        }, null);
        Harness h = new Harness(Map.of(), wiring);
        SQSEvent event = Harness.event("fifo-two-groups.json");
        SQSBatchResponse r = h.handle(event);
        assertEquals(event.getRecords().size(), Harness.failedIds(r).size(), "every record reported for redelivery");
        assertEquals(event.getRecords().size(), wiring.retryDelays.size(), "each one's next receive is delayed");
        assertTrue(wiring.retryDelays.stream().allMatch(d -> d.compareTo(BatchRun.MIN_REDELIVERY_DELAY) >= 0),
                wiring.retryDelays.toString());
        assertTrue(h.messages("batch-failed").isEmpty(), "an outage is not a failure of the runtime");
    }

    @Test
    void groupThreadsAreBuiltOnceAtInit() throws Exception {
        Harness h = new Harness();
        var pool = (java.util.concurrent.ThreadPoolExecutor) h.handler.groupExecutor();
        assertEquals(10, pool.getPoolSize());
        h.handle(Harness.event("fifo-two-groups.json"));
        h.handle(Harness.event("fifo-partial-failure.json"));
        assertEquals(10, pool.getPoolSize());
        assertTrue(pool.awaitTermination(0, TimeUnit.MILLISECONDS) == false);
    }

    /** Counts the reads a state store serves. */
    private static final class CountingReads {
        final java.util.concurrent.atomic.AtomicInteger singleReads = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger batchReads = new java.util.concurrent.atomic.AtomicInteger();

        int all() {
            return singleReads.get() + batchReads.get();
        }

        StateStore wrap(StateStore store) {
            return new DelegatingStore(store) {
                @Override
                public Optional<StoredRecord> load(ActorId id) {
                    singleReads.incrementAndGet();
                    return super.load(id);
                }

                @Override
                public Map<ActorId, StoredRecord> loadAll(java.util.Collection<ActorId> ids,
                                                          io.fifoactors.core.port.Consistency c) {
                    batchReads.incrementAndGet();
                    return super.loadAll(ids, c);
                }
            };
        }
    }
}
