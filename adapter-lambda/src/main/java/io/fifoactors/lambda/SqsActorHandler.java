package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.lambda.LambdaSettings.Level;
import io.fifoactors.lambda.Telemetry.InvocationStats;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Lambda handler for an SQS FIFO event source mapping: hands each batch to the core runtime and answers with a
 * partial batch response ({@code ReportBatchItemFailures}). The runtime's semantics hold unchanged: the groups
 * (actors) of a batch are processed independently and concurrently, each in order; a failed message and every later
 * message of its group are reported as failures while the other groups' successes stand; effects are
 * effectively-once through the runtime's outbox; a bad message is dead-lettered by the runtime's rules and never
 * fails the invocation. When the invocation's remaining time runs short, no further group is started and groups
 * still running are reported as failed, so the answer is always sent in time.
 *
 * <p>Deploy it with the handler {@code io.fifoactors.lambda.SqsActorHandler::handleRequest} and the environment
 * variable {@value LambdaSettings#WIRING} naming your {@link ActorWiring}; the no-argument constructor is the
 * bootstrap, the only place that reads the environment. Everything expensive (the wiring's SDK clients, the codec,
 * the group threads) is built once per container, during init, and primed there too, so a SnapStart snapshot
 * holds it warm. Logs are JSON lines and metrics are CloudWatch EMF documents on standard output (see
 * {@link LambdaSettings} for the knobs). A dead-letter note found in the mailbox (moved back with its letter by a
 * redrive from the dead-letter queue) is dropped, as the SQS mailbox drops it. Timers set by the actors reach the
 * mailbox through a second function on the timer queue: {@link SqsTimerHandler}. To use your own handler class, delegate:
 *
 * <pre>{@code
 * public final class LedgerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
 *     private final SqsActorHandler delegate = SqsActorHandler.builder()
 *             .environment(System.getenv()).wiring(new LedgerWiring()).build();
 *
 *     public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
 *         return delegate.handleRequest(event, context);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe (Lambda calls it from one thread at a time; the group threads are its own).
 */
public final class SqsActorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final LambdaSettings settings;
    private final ActorSystem system;
    private final Telemetry telemetry;
    private final Clock clock;
    private final ThreadPoolExecutor groups;
    private final Telemetry.BatchScope scope = new Telemetry.BatchScope();
    private final Duration initDuration;
    private final AtomicBoolean firstInvocation = new AtomicBoolean(true);
    private final BatchRun.Pause pause;

    /**
     * The bootstrap Lambda calls: reads the configuration from the process environment, instantiates the wiring
     * named by {@value LambdaSettings#WIRING}, builds and primes the actor system.
     *
     * @throws ConfigurationException for missing or invalid configuration (Lambda reports it as the init error)
     */
    public SqsActorHandler() {
        this(builder().environment(System.getenv()));
    }

    private SqsActorHandler(Builder b) {
        this.clock = b.clock;
        this.pause = b.pause;
        Instant started = clock.instant();
        this.settings = LambdaSettings.from(b.environment);
        ActorWiring wiring = b.wiring != null ? b.wiring : instantiate(settings);
        String wiringName = wiring.getClass().getName();
        this.telemetry = new Telemetry(b.output, clock, settings, wiring.listener());

        ActorSystem.Builder builder = ActorSystem.builder().maxAttempts(settings.maxAttempts())
                .recordCache(settings.recordCache());
        settings.messageKeys().ifPresent(builder::messageKeys);
        wiring.register(builder, settings);
        this.groups = newGroupPool(settings.groupConcurrency());
        builder.clock(clock).listener(telemetry).groupExecutor(scope.executor(groups));
        try {
            this.system = builder.build();
        } catch (ConfigurationException e) {
            throw new ConfigurationException("the wiring " + wiringName + " left the actor system incomplete: "
                    + e.getMessage() + (settings.messageKeys().isPresent() ? "" : " (" + LambdaSettings.MESSAGE_KEYS
                    + " is not set, so the wiring must set the message keys, for example from the secret named by "
                    + LambdaSettings.MESSAGE_KEYS_SECRET_ARN + ")"));
        }
        adviseOnRedrive();
        prime(wiring);
        this.initDuration = Duration.between(started, clock.instant());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("initMillis", initDuration.toMillis());
        fields.put("settings", settings.describe());
        fields.put("wiring", wiringName);
        telemetry.log(Level.INFO, "init", fields);
    }

    /** A builder, for tests and for handlers that delegate to this one; {@code environment} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Processes the batch and reports the messages to redeliver. Never throws for a message or a group; only a
     * {@link VirtualMachineError} (out of memory, say) escapes, failing the invocation so that Lambda replaces the
     * container.
     */
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Instant started = clock.instant();
        String requestId = Handlers.requestId(context);
        long remaining = context == null ? Long.MAX_VALUE / 4 : context.getRemainingTimeInMillis();
        List<SQSEvent.SQSMessage> records = Handlers.records(event);
        InvocationStats stats = new InvocationStats(requestId);
        stats.batchSize(records.size());
        Instant deadline = started.plusMillis(Math.max(0, remaining));

        BatchRun run = new BatchRun(system, telemetry, stats, deadline.minus(settings.startReserve()),
                deadline.minus(settings.responseReserve()), clock, pause);
        List<SQSEvent.SQSMessage> failed = run.execute(records, scope);

        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (SQSEvent.SQSMessage r : failed) {
            if (r.getMessageId() == null) {
                // Leaving it out would delete it; failing the invocation makes Lambda retry the whole batch.
                throw new IllegalStateException("a failed SQS record has no messageId: the event is not from SQS");
            }
            failures.add(new SQSBatchResponse.BatchItemFailure(r.getMessageId()));
        }
        stats.failuresReported(failures.size());
        long duration = Duration.between(started, clock.instant()).toMillis();
        String functionName = Handlers.functionName(context, settings);
        telemetry.emitMetrics(stats, functionName, duration);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", requestId);
        fields.put("records", records.size());
        fields.put("groups", run.groupCount());
        fields.put("failures", failures.size());
        fields.put("deadlineSkipped", stats.deadlineSkipped());
        fields.put("durationMillis", duration);
        fields.put("remainingMillisAtStart", context == null ? null : remaining);
        fields.put("coldStart", firstInvocation.getAndSet(false));
        telemetry.log(failures.isEmpty() ? Level.INFO : Level.WARN, "batch", fields);
        return new SQSBatchResponse(failures);
    }

    /** The actor system this handler runs (for tests and tools: inspect actors, send messages). */
    public ActorSystem system() {
        return system;
    }

    /** How long this handler's construction took (settings, wiring, system, priming). */
    public Duration initDuration() {
        return initDuration;
    }

    // ------------------------------------------------------------------------------------------------ init

    static ActorWiring instantiate(LambdaSettings settings) {
        return instantiate(settings, ActorWiring.class);
    }

    /** An instance of the class named by {@value LambdaSettings#WIRING}, which must implement {@code kind}. */
    static <T> T instantiate(LambdaSettings settings, Class<T> kind) {
        String name = settings.wiringClass().orElseThrow(() -> new ConfigurationException(
                "the function's environment lacks " + LambdaSettings.WIRING
                        + ": set it to the class name of your " + kind.getName()));
        Class<?> cls;
        try {
            cls = Class.forName(name, true, SqsActorHandler.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigurationException(LambdaSettings.WIRING + " names " + name
                    + ", which is not in the function's code");
        }
        if (!kind.isAssignableFrom(cls)) {
            throw new ConfigurationException(LambdaSettings.WIRING + " names " + name + ", which does not implement "
                    + kind.getName());
        }
        try {
            return kind.cast(cls.getConstructor().newInstance());
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new ConfigurationException(LambdaSettings.WIRING + " names " + name
                    + ", which needs a public no-argument constructor (and must be a public, non-abstract class)");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ConfigurationException("the constructor of " + name + " failed: " + e.getCause());
        }
    }

    private static ThreadPoolExecutor newGroupPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "fifo-actors-group-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory);
    }

    /** Says once, at init, what the queue's redrive policy means for the messages it may move. */
    private void adviseOnRedrive() {
        io.fifoactors.core.port.RedrivePolicy policy = system.mailbox().redrivePolicy();
        if (policy.redrives()) {
            telemetry.log(Level.INFO, "advice", Map.of("detail", "the mailbox queue has a redrive policy (after "
                    + policy.maxReceiveCount().getAsInt() + " receives): SQS moves a message that reaches it to the"
                    + " dead-letter queue without a reason (a message waiting behind failing ones of its actor"
                    + " spends receives too), and each activation that sends costs one write more; without a redrive"
                    + " policy the runtime dead-letters with reasons (docs/semantics.md, section 5)"));
        }
    }

    /**
     * Warms the per-invocation code paths without touching the ports (decoding a synthetic record, the JSON
     * writer, the group threads), then runs the wiring's own priming. Failures are logged, never fatal.
     */
    private void prime(ActorWiring wiring) {
        try {
            groups.prestartAllCoreThreads();
            SQSEvent.SQSMessage record = Priming.syntheticRecord();
            InvocationStats stats = new InvocationStats("priming");
            groups.submit(() -> {
                Telemetry.enter(stats, List.of(SqsEventDecoder.decode(record)));
                Telemetry.leave();
            }).get(10, TimeUnit.SECONDS);
            new JsonLine().field("priming", Map.of("ok", true, "list", List.of(1, 2.5))).end();
            io.fifoactors.core.runtime.FifoBatchFailures.failedWithSuffix(List.of(record),
                    SqsEventDecoder::groupIdOrNull, r -> true);
            new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("priming")));
        } catch (Exception e) {
            telemetry.log(Level.WARN, "priming-failed", Map.of("error", e.getClass().getName()));
        }
        Handlers.primeWiring(telemetry, wiring, () -> wiring.prime(system, settings));
    }

    @Override
    public String toString() {
        return "SqsActorHandler" + settings.describe();
    }

    /**
     * Builds an {@link SqsActorHandler}: for tests, and for handler classes of your own that delegate to it.
     *
     * <pre>{@code
     * SqsActorHandler handler = SqsActorHandler.builder()
     *         .environment(Map.of("FA_MAX_ATTEMPTS", "3"))
     *         .wiring(new LedgerWiring())
     *         .build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private Map<String, String> environment;
        private ActorWiring wiring;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> output = Telemetry.standardOutput();
        private BatchRun.Pause pause = d -> Thread.sleep(d.toMillis());

        private Builder() {
        }

        /** How the handler waits between tries of what a port failure held back (tests move a virtual clock). */
        Builder pause(BatchRun.Pause pause) {
            this.pause = pause;
            return this;
        }

        /** The environment to read the settings from (required; Lambda's bootstrap passes the process's). */
        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        /** The wiring to use; default: an instance of the class named by {@value LambdaSettings#WIRING}. */
        public Builder wiring(ActorWiring wiring) {
            this.wiring = wiring;
            return this;
        }

        /** The time source for the runtime, the deadlines, logs and metrics (default: system UTC). */
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
         * The handler, wired, built and primed.
         *
         * @throws ConfigurationException if the environment is missing or invalid, or the wiring fails
         */
        public SqsActorHandler build() {
            Handlers.requireBuilt("SqsActorHandler", environment, clock, output);
            return new SqsActorHandler(this);
        }
    }

    /** The group threads (tests check they are reused across invocations). */
    ExecutorService groupExecutor() {
        return groups;
    }
}
