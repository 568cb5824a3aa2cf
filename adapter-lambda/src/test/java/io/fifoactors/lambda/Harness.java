package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.runtime.ActorSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A handler over {@link TestWiring} whose output lines are captured and parsed. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A test key (32 zero bytes), in the form FA_MESSAGE_KEYS takes. */
    static final String KEYS = "test:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    final TestWiring wiring;
    final SqsActorHandler handler;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    /** The handler's time: real time, plus what its backoff pauses add (the tests never sleep). */
    final PausingClock clock = new PausingClock();

    /** System time moved forward by the pauses the handler takes, instead of sleeping them. */
    static final class PausingClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicLong skew = new java.util.concurrent.atomic.AtomicLong();

        void advance(java.time.Duration d) {
            skew.addAndGet(d.toMillis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(System.currentTimeMillis() + skew.get());
        }
    }

    Harness(Map<String, String> env) {
        this(env, new TestWiring());
    }

    Harness(Map<String, String> env, TestWiring wiring) {
        this.wiring = wiring;
        Map<String, String> all = new HashMap<>(Map.of(LambdaSettings.MAX_ATTEMPTS, "3",
                LambdaSettings.MESSAGE_KEYS, KEYS));
        all.putAll(env);
        this.handler = SqsActorHandler.builder().environment(all).wiring(wiring).output(lines::add)
                .clock(clock).pause(clock::advance).build();
    }

    Harness() {
        this(Map.of());
    }

    static SQSEvent event(String fixture) {
        return EventLoader.loadSQSEvent("events/" + fixture);
    }

    SQSBatchResponse handle(SQSEvent event) {
        return handler.handleRequest(event, TestContext.plenty("req-" + System.nanoTime()));
    }

    static List<String> failedIds(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toList());
    }

    /** The SQS message ids of the records whose fa-sqs-id (or dedup id) is one of {@code ids}, in event order. */
    static List<String> sqsIds(SQSEvent event, String... ids) {
        List<String> wanted = List.of(ids);
        List<String> out = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            if (wanted.contains(m.getAttributes().get("MessageDeduplicationId"))) {
                out.add(m.getMessageId());
            }
        }
        return out;
    }

    /** A copy of the event with only the records whose SQS message ids are given, received once more. */
    static SQSEvent redeliver(SQSEvent event, List<String> sqsMessageIds) {
        SQSEvent copy = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            if (sqsMessageIds.contains(m.getMessageId())) {
                Map<String, String> attrs = new HashMap<>(m.getAttributes());
                attrs.put("ApproximateReceiveCount",
                        Integer.toString(Integer.parseInt(attrs.get("ApproximateReceiveCount")) + 1));
                m.setAttributes(attrs);
                records.add(m);
            }
        }
        copy.setRecords(records);
        return copy;
    }

    Tally tally(String key) {
        ActorSnapshot<Tally> s = handler.system().inspect(Tally.TYPE, key);
        return s.state();
    }

    List<JsonNode> parsed() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                try {
                    out.add(JSON.readTree(l));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + l, e);
                }
            }
        }
        return out;
    }

    List<JsonNode> messages(String message) {
        return parsed().stream().filter(n -> message.equals(n.path("message").asText()))
                .collect(Collectors.toList());
    }

    /** The last EMF document. */
    JsonNode metrics() {
        List<JsonNode> docs = parsed().stream().filter(n -> n.has("_aws")).collect(Collectors.toList());
        if (docs.isEmpty()) {
            throw new AssertionError("no EMF document in " + lines);
        }
        return docs.get(docs.size() - 1);
    }

    void clearOutput() {
        lines.clear();
    }
}
