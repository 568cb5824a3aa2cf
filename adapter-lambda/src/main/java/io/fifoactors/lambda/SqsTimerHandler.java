package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.lambda.LambdaSettings.Level;
import io.fifoactors.sqswire.TimerEnvelope;
import io.fifoactors.sqswire.WireMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The Lambda handler of the timer queue: SQS FIFO queues have no per-message delay, so a timer firing travels as a
 * carrier on a standard queue, delayed up to 15 minutes per hop (the SQS adapter's {@code SqsScheduler} sends it
 * there). An event source mapping on that queue hands this handler batches of carriers; it passes them to the
 * wiring's {@link TimerForwarding}, which forwards each due carrier into the FIFO mailbox queue (deduplicated by the
 * message's id, so a carrier forwarded twice is one message) and sends the others on for another hop, and it answers
 * with a partial batch response ({@code ReportBatchItemFailures}) naming the carriers whose sends failed, which SQS
 * then delivers again. Everything else is deleted by the event source mapping: forwarded, sent on, or dropped (a
 * message on the timer queue that is not a timer carrier).
 *
 * <p>Deploy it with the handler {@code io.fifoactors.lambda.SqsTimerHandler::handleRequest} and
 * {@value LambdaSettings#WIRING} naming a {@link TimerWiring} (the actor function's wiring may implement both). It
 * needs no message keys, no state store and no actor types: a carrier is forwarded byte for byte, and the actor
 * function authenticates it. Logs and metrics follow the actor handler's style: one {@code timer-batch} JSON line
 * and one EMF document per invocation, with {@value #FORWARDED}, {@value #RESENT}, {@value #DROPPED} and the
 * carriers reported as failed ({@code BatchItemFailures}).
 *
 * <pre>{@code
 * SqsTimerHandler handler = SqsTimerHandler.builder()
 *         .environment(System.getenv()).wiring(new LedgerWiring()).build();
 * SQSBatchResponse r = handler.handleRequest(event, context);
 * }</pre>
 *
 * <p>Thread-safe (Lambda calls it from one thread at a time).
 */
public final class SqsTimerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** Metric: carriers forwarded into the mailbox queue. */
    public static final String FORWARDED = "TimersForwarded";
    /** Metric: carriers sent on to the timer queue for another hop. */
    public static final String RESENT = "TimersResent";
    /** Metric: messages on the timer queue that were not timer carriers, dropped. */
    public static final String DROPPED = "TimersDropped";
    /** The metric names, in the order they are reported. */
    static final List<String> METRICS = List.of(FORWARDED, RESENT, DROPPED, "BatchSize", "BatchItemFailures",
            "BatchDuration");

    private final LambdaSettings settings;
    private final TimerForwarding forwarding;
    private final Telemetry telemetry;
    private final Clock clock;
    private final Duration initDuration;
    private final AtomicBoolean firstInvocation = new AtomicBoolean(true);

    /**
     * The bootstrap Lambda calls: reads the configuration from the process environment, instantiates the wiring
     * named by {@value LambdaSettings#WIRING} and builds its forwarder.
     *
     * @throws ConfigurationException for missing or invalid configuration (Lambda reports it as the init error)
     */
    public SqsTimerHandler() {
        this(builder().environment(System.getenv()));
    }

    private SqsTimerHandler(Builder b) {
        this.clock = b.clock;
        Instant started = clock.instant();
        this.settings = LambdaSettings.from(b.environment);
        TimerWiring wiring = b.wiring != null ? b.wiring
                : SqsActorHandler.instantiate(settings, TimerWiring.class);
        String wiringName = wiring.getClass().getName();
        this.telemetry = new Telemetry(b.output, clock, settings, OutcomeListener.NONE);
        TimerForwarding f = wiring.timerForwarding(settings);
        if (f == null) {
            throw new ConfigurationException("the wiring " + wiringName + " returned no TimerForwarding");
        }
        this.forwarding = f;
        prime(wiring);
        this.initDuration = Duration.between(started, clock.instant());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("initMillis", initDuration.toMillis());
        fields.put("handler", "timers");
        fields.put("wiring", wiringName);
        fields.put("logLevel", settings.logLevel().name());
        fields.put("metricsNamespace", settings.metricsNamespace());
        telemetry.log(Level.INFO, "init", fields);
    }

    /** A builder, for tests and for handlers that delegate to this one; {@code environment} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Forwards the batch and reports the carriers to receive again. A failure of the forwarder as a whole reports
     * every carrier; only a {@link VirtualMachineError} escapes.
     *
     * @throws IllegalStateException if a record has no messageId (the event is not from SQS): the whole batch is
     *         then retried by Lambda, since a failure that cannot be named would be deleted
     */
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Instant started = clock.instant();
        String requestId = Handlers.requestId(context);
        List<SQSEvent.SQSMessage> records = Handlers.records(event);
        Map<WireMessage, SQSEvent.SQSMessage> recordOf = new IdentityHashMap<>();
        Map<String, SQSEvent.SQSMessage> recordById = new HashMap<>();
        List<WireMessage> carriers = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage r : records) {
            if (r.getMessageId() == null) {
                throw new IllegalStateException("an SQS record has no messageId: the event is not from SQS");
            }
            WireMessage w = SqsEventDecoder.toWire(r);
            recordOf.put(w, r);
            recordById.put(r.getMessageId(), r);
            carriers.add(w);
        }

        TimerForwarding.Result result;
        if (carriers.isEmpty()) {
            result = new TimerForwarding.Result(List.of(), 0, 0, 0);
        } else {
            try {
                result = forwarding.forward(carriers);
                if (result == null) {
                    throw new IllegalStateException("the TimerForwarding returned no result");
                }
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error e) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("requestId", requestId);
                fields.put("carriers", carriers.size());
                fields.put("error", Handlers.describe(e));
                telemetry.log(Level.ERROR, "timer-batch-failed", fields);
                result = new TimerForwarding.Result(carriers, 0, 0, 0);
            }
        }

        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>(result.failed().size());
        Map<SQSEvent.SQSMessage, Boolean> reported = new IdentityHashMap<>();
        for (WireMessage w : result.failed()) {
            SQSEvent.SQSMessage r = recordOf.get(w);
            if (r == null && w.sqsMessageId() != null) {
                r = recordById.get(w.sqsMessageId());
            }
            if (r == null) {
                telemetry.log(Level.WARN, "timer-unknown-failure", Map.of("requestId", requestId,
                        "detail", "the forwarder reported a carrier that is not in this batch"));
            } else if (reported.put(r, Boolean.TRUE) == null) {
                failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
            }
        }

        long duration = Duration.between(started, clock.instant()).toMillis();
        String functionName = Handlers.functionName(context, settings);
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put(FORWARDED, (long) result.forwarded());
        metrics.put(RESENT, (long) result.resent());
        metrics.put(DROPPED, (long) result.dropped());
        metrics.put("BatchSize", (long) records.size());
        metrics.put("BatchItemFailures", (long) failures.size());
        metrics.put("BatchDuration", duration);
        telemetry.emit(metrics, functionName, requestId);

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", requestId);
        fields.put("records", records.size());
        fields.put("forwarded", result.forwarded());
        fields.put("resent", result.resent());
        fields.put("dropped", result.dropped());
        fields.put("failures", failures.size());
        fields.put("durationMillis", duration);
        fields.put("coldStart", firstInvocation.getAndSet(false));
        telemetry.log(failures.isEmpty() && result.dropped() == 0 ? Level.INFO : Level.WARN, "timer-batch", fields);
        return new SQSBatchResponse(failures);
    }

    /** How long this handler's construction took (settings, wiring, forwarder, priming). */
    public Duration initDuration() {
        return initDuration;
    }

    /** Warms the per-invocation code paths without touching the queues, then the wiring's own priming. */
    private void prime(TimerWiring wiring) {
        try {
            SQSEvent.SQSMessage record = Priming.syntheticCarrier();
            TimerEnvelope.Timer t = TimerEnvelope.read(SqsEventDecoder.toWire(record));
            TimerEnvelope.decide(t.dueAt(), clock.instant(), TimerEnvelope.MAX_HOP);
            TimerEnvelope.forward(t);
            TimerEnvelope.again(t);
            new JsonLine().field("priming", Map.of("ok", true, "list", List.of(1, 2.5))).end();
            new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("priming")));
        } catch (RuntimeException e) {
            telemetry.log(Level.WARN, "priming-failed", Map.of("error", e.getClass().getName()));
        }
        Handlers.primeWiring(telemetry, wiring, () -> wiring.primeTimers(forwarding, settings));
    }

    @Override
    public String toString() {
        return "SqsTimerHandler[" + forwarding + "]";
    }

    /**
     * Builds an {@link SqsTimerHandler}: for tests, and for handler classes of your own that delegate to it.
     *
     * <pre>{@code
     * SqsTimerHandler handler = SqsTimerHandler.builder()
     *         .environment(Map.of("FA_LOG_LEVEL", "WARN"))
     *         .wiring(settings -> forwarding)
     *         .build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private Map<String, String> environment;
        private TimerWiring wiring;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> output = Telemetry.standardOutput();

        private Builder() {
        }

        /** The environment to read the settings from (required; Lambda's bootstrap passes the process's). */
        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        /** The wiring to use; default: an instance of the class named by {@value LambdaSettings#WIRING}. */
        public Builder wiring(TimerWiring wiring) {
            this.wiring = wiring;
            return this;
        }

        /** The time source for durations, logs and metrics (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where log lines and EMF documents go, one call per line without a line break (default: stdout). */
        public Builder output(Consumer<String> output) {
            this.output = output;
            return this;
        }

        /**
         * The handler, wired and primed.
         *
         * @throws ConfigurationException if the environment is missing or invalid, or the wiring fails
         */
        public SqsTimerHandler build() {
            Handlers.requireBuilt("SqsTimerHandler", environment, clock, output);
            return new SqsTimerHandler(this);
        }
    }
}
