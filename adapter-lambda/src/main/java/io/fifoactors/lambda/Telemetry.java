package io.fifoactors.lambda;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.lambda.LambdaSettings.Level;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Structured JSON logs and CloudWatch Embedded Metric Format documents, one JSON object per line on the function's
 * standard output (Lambda sends each line to CloudWatch Logs, which extracts the EMF metrics). Outcome lines name
 * the actor, the message id, the SQS sequence number, the receive count and the outcome; message bodies only when
 * {@link LambdaSettings#logPayloads()} is on.
 *
 * <p>The core reports outcomes on the thread that processes the group; {@link #enter} binds that thread to the
 * group's invocation so that each outcome is counted for, and logged with, the right invocation and delivery.
 * Thread-safe.
 */
final class Telemetry implements OutcomeListener {
    private static final ThreadLocal<GroupScope> SCOPE = new ThreadLocal<>();
    private static final int MAX_LOGGED_BODY_CHARS = 2048;

    private final Consumer<String> sink;
    private final Clock clock;
    private final Level level;
    private final boolean payloads;
    private final String namespace;
    private final OutcomeListener extra;

    Telemetry(Consumer<String> sink, Clock clock, LambdaSettings settings, OutcomeListener extra) {
        this.sink = sink;
        this.clock = clock;
        this.level = settings.logLevel();
        this.payloads = settings.logPayloads();
        this.namespace = settings.metricsNamespace();
        this.extra = extra;
    }

    /** The line sink that writes each line, with its line break, in one call to the current standard output. */
    static Consumer<String> standardOutput() {
        return line -> {
            var out = System.out;
            out.print(line + "\n");
            out.flush();
        };
    }

    // ------------------------------------------------------------------------------------------------ scopes

    /** Binds the current thread to a group of an invocation until {@link #leave}. */
    static void enter(InvocationStats invocation, List<Delivery> group) {
        SCOPE.set(new GroupScope(invocation, group));
    }

    static void leave() {
        SCOPE.remove();
    }

    /**
     * The invocation that the group threads work for: opened by the invocation's thread around the runtime's call;
     * tasks handed to {@link #executor} run bound to it. Lambda runs one invocation at a time per container.
     */
    static final class BatchScope {
        private volatile GroupScope current;

        void open(InvocationStats invocation, List<Delivery> batch) {
            GroupScope scope = new GroupScope(invocation, batch);
            current = scope;
            SCOPE.set(scope);
        }

        void close() {
            current = null;
            SCOPE.remove();
        }

        /** Runs tasks on {@code threads}, each bound to the scope open when it was handed over. */
        Executor executor(Executor threads) {
            return task -> {
                GroupScope scope = current;
                threads.execute(() -> {
                    SCOPE.set(scope);
                    try {
                        task.run();
                    } finally {
                        SCOPE.remove();
                    }
                });
            };
        }
    }

    private static final class GroupScope {
        final InvocationStats invocation;
        final Map<String, Delivery> byMessageId;

        GroupScope(InvocationStats invocation, List<Delivery> group) {
            this.invocation = invocation;
            this.byMessageId = new HashMap<>(group.size() * 2);
            for (Delivery d : group) {
                byMessageId.putIfAbsent(d.messageId(), d);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    @Override
    public void onOutcome(Outcome o) {
        GroupScope scope = SCOPE.get();
        if (scope != null) {
            scope.invocation.increment(o.kind());
        }
        Level l = levelOf(o.kind());
        if (enabled(l)) {
            Delivery d = scope == null ? null : scope.byMessageId.get(o.messageId());
            JsonLine line = start(l, "outcome")
                    .field("requestId", scope == null ? null : scope.invocation.requestId())
                    .field("actor", o.groupId())
                    .field("messageId", o.messageId())
                    .field("sequence", d == null ? null : d.sequenceNumber())
                    .field("receiveCount", d == null ? null : d.receiveCount())
                    .field("outcome", o.kind().name())
                    .field("detail", o.detail());
            if (payloads && d != null) {
                line.field("body", printable(d.body()));
            }
            sink.accept(line.end());
        }
        try {
            extra.onOutcome(o);
        } catch (RuntimeException ignored) {
            // a user's listener must not change what happens to a message
        }
    }

    @Override
    public void onEvent(RuntimeEvent e) {
        GroupScope scope = SCOPE.get();
        if (scope != null) {
            scope.invocation.increment(e.kind());
        }
        Level l = e.kind() == RuntimeEvent.Kind.VERSION_CONFLICT || e.kind() == RuntimeEvent.Kind.MARKS_ARCHIVED
                ? Level.DEBUG : Level.WARN;
        if (enabled(l)) {
            sink.accept(start(l, "event")
                    .field("requestId", scope == null ? null : scope.invocation.requestId())
                    .field("actor", e.groupId())
                    .field("event", e.kind().name())
                    .field("detail", e.detail()).end());
        }
        try {
            extra.onEvent(e);
        } catch (RuntimeException ignored) {
            // a user's listener must not change what happens to a message
        }
    }

    static Level levelOf(Outcome.Kind kind) {
        return switch (kind) {
            case RETRIED, PARKED, DEAD_LETTERED -> Level.WARN;
            default -> Level.INFO;
        };
    }

    // ------------------------------------------------------------------------------------------------ lines

    boolean enabled(Level l) {
        return l.compareTo(level) >= 0;
    }

    /** Logs one event with its fields (null fields are left out). */
    void log(Level l, String message, Map<String, ?> fields) {
        if (!enabled(l)) {
            return;
        }
        JsonLine line = start(l, message);
        fields.forEach(line::field);
        sink.accept(line.end());
    }

    private JsonLine start(Level l, String message) {
        return new JsonLine()
                .field("timestamp", clock.instant().toString())
                .field("level", l.name())
                .field("message", message);
    }

    private static String printable(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            text = "base64:" + Base64.getEncoder().encodeToString(body);
        }
        return text.length() > MAX_LOGGED_BODY_CHARS ? text.substring(0, MAX_LOGGED_BODY_CHARS) + "..." : text;
    }

    // ------------------------------------------------------------------------------------------------ metrics

    /** The metric names, in the order they are reported. */
    static final List<String> METRICS = List.of("Processed", "DuplicatesSkipped", "VersionConflicts", "Rejected",
            "Deferred", "DeadLettered", "Held", "Parked", "Retried", "StaleTimerFirings", "PortFailures",
            "HandlerTimeouts", "DeadLetterNotesDropped", "BatchSize", "BatchItemFailures", "DeadlineSkipped",
            "HeldForPortFailures", "BatchDuration");

    /** Writes the invocation's metrics as one EMF document (always, also for an empty batch). */
    void emitMetrics(InvocationStats s, String functionName, long durationMillis) {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("Processed", s.count(Outcome.Kind.APPLIED));
        values.put("DuplicatesSkipped", s.count(Outcome.Kind.DUPLICATE));
        values.put("VersionConflicts", s.count(RuntimeEvent.Kind.VERSION_CONFLICT));
        values.put("Rejected", s.count(Outcome.Kind.REJECTED));
        values.put("Deferred", s.count(Outcome.Kind.DEFERRED));
        values.put("DeadLettered", s.count(Outcome.Kind.DEAD_LETTERED));
        values.put("Held", s.count(Outcome.Kind.HELD));
        values.put("Parked", s.count(Outcome.Kind.PARKED));
        values.put("Retried", s.count(Outcome.Kind.RETRIED));
        values.put("StaleTimerFirings", s.count(Outcome.Kind.STALE));
        values.put("PortFailures", s.count(RuntimeEvent.Kind.PORT_FAILURE));
        values.put("HandlerTimeouts", s.count(RuntimeEvent.Kind.HANDLER_TIMEOUT));
        values.put("DeadLetterNotesDropped", (long) s.notesDropped());
        values.put("BatchSize", (long) s.batchSize());
        values.put("BatchItemFailures", (long) s.failuresReported());
        values.put("DeadlineSkipped", (long) s.deadlineSkipped());
        values.put("HeldForPortFailures", (long) s.heldRounds());
        values.put("BatchDuration", durationMillis);
        emit(values, functionName, s.requestId());
    }

    /**
     * Writes one EMF document: the values in their order, as counts except {@code BatchDuration} (milliseconds),
     * with the dimension FunctionName.
     */
    void emit(Map<String, Long> values, String functionName, String requestId) {
        List<Map<String, String>> definitions = new ArrayList<>(values.size());
        for (String name : values.keySet()) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("Name", name);
            d.put("Unit", name.equals("BatchDuration") ? "Milliseconds" : "Count");
            definitions.add(d);
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(List.of("FunctionName")));
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", clock.millis());
        aws.put("CloudWatchMetrics", List.of(directive));

        JsonLine doc = new JsonLine()
                .field("_aws", aws)
                .field("FunctionName", functionName);
        values.forEach(doc::field);
        doc.field("requestId", requestId);
        sink.accept(doc.end());
    }

    /** Counters of one invocation; written by the group threads, read after they finished. Thread-safe. */
    static final class InvocationStats {
        private final String requestId;
        private final AtomicLongArray kinds = new AtomicLongArray(Outcome.Kind.values().length);
        private final AtomicLongArray events = new AtomicLongArray(RuntimeEvent.Kind.values().length);
        private volatile int heldRounds;
        private volatile int batchSize;
        private volatile int failuresReported;
        private volatile int deadlineSkipped;
        private volatile int notesDropped;

        InvocationStats(String requestId) {
            this.requestId = requestId;
        }

        String requestId() {
            return requestId;
        }

        void increment(Outcome.Kind kind) {
            kinds.incrementAndGet(kind.ordinal());
        }

        long count(Outcome.Kind kind) {
            return kinds.get(kind.ordinal());
        }

        void increment(RuntimeEvent.Kind kind) {
            events.incrementAndGet(kind.ordinal());
        }

        long count(RuntimeEvent.Kind kind) {
            return events.get(kind.ordinal());
        }

        /** Rounds the invocation spent holding deliveries back through port failures. */
        int heldRounds() {
            return heldRounds;
        }

        void heldRounds(int n) {
            heldRounds = n;
        }

        int batchSize() {
            return batchSize;
        }

        void batchSize(int n) {
            batchSize = n;
        }

        int failuresReported() {
            return failuresReported;
        }

        void failuresReported(int n) {
            failuresReported = n;
        }

        int deadlineSkipped() {
            return deadlineSkipped;
        }

        void deadlineSkipped(int n) {
            deadlineSkipped = n;
        }

        /** Dead-letter notes found in the mailbox and dropped (see {@code SqsWire.isNote}). */
        int notesDropped() {
            return notesDropped;
        }

        void notesDropped(int n) {
            notesDropped = n;
        }
    }
}
