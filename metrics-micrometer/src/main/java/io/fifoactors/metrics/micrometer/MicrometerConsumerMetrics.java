package io.fifoactors.metrics.micrometer;

import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.ConsumerMetrics;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer metrics for a consumer: the {@link ConsumerMetrics} of a {@link io.fifoactors.core.runtime.Poller} and
 * the {@link OutcomeListener} of its {@link io.fifoactors.core.runtime.ActorSystem}, in one object (give the same
 * instance to both). Depends on {@code micrometer-core} only: register it with whichever {@link MeterRegistry} you
 * ship (Prometheus, CloudWatch, OTLP, ...).
 *
 * <pre>{@code
 * MicrometerConsumerMetrics metrics = MicrometerConsumerMetrics.create(registry);
 * ActorSystem system = ActorSystem.builder()...listener(metrics).build();
 * Poller poller = Poller.builder().system(system).metrics(metrics).build();
 * }</pre>
 *
 * <p>The meters (names as Micrometer writes them; a Prometheus registry turns {@code fifoactors.messages} into
 * {@code fifoactors_messages_total} and timers into {@code _seconds}). Every tag has a small, fixed set of values: no
 * actor id, message id or type ever becomes a tag.
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what (the Lambda handler's EMF metric)</th></tr>
 *   <tr><td>{@code fifoactors.messages}</td><td>counter</td><td>{@code outcome}: {@code applied}, {@code rejected},
 *       {@code deferred}, {@code duplicate}, {@code stale}, {@code held}, {@code parked}, {@code dead_lettered},
 *       {@code retried}</td><td>messages by outcome (Processed, Rejected, Deferred, DuplicatesSkipped,
 *       StaleTimerFirings, Held, Parked, DeadLettered, Retried)</td></tr>
 *   <tr><td>{@code fifoactors.runtime.events}</td><td>counter</td><td>{@code event}: {@code version_conflict},
 *       {@code port_failure}, {@code handler_timeout}, {@code outbox_clear_failed}, {@code marks_archived}</td>
 *       <td>runtime events (VersionConflicts, PortFailures, HandlerTimeouts)</td></tr>
 *   <tr><td>{@code fifoactors.poller.batch.duration}</td><td>timer</td><td></td><td>time to process one batch
 *       (BatchDuration)</td></tr>
 *   <tr><td>{@code fifoactors.poller.batch.size}</td><td>distribution summary</td><td></td><td>deliveries per batch
 *       processed (BatchSize)</td></tr>
 *   <tr><td>{@code fifoactors.poller.deliveries.succeeded}</td><td>counter</td><td></td><td>deliveries settled
 *       (acknowledged)</td></tr>
 *   <tr><td>{@code fifoactors.poller.deliveries.retried}</td><td>counter</td><td>{@code cause}: the
 *       {@link RetryCause} in lower case ({@code handler_failed}, {@code infrastructure}, ...)</td><td>deliveries
 *       given back for redelivery (BatchItemFailures)</td></tr>
 *   <tr><td>{@code fifoactors.poller.receives}</td><td>counter</td><td>{@code result}: {@code messages},
 *       {@code empty}</td><td>receive calls that returned</td></tr>
 *   <tr><td>{@code fifoactors.poller.received}</td><td>counter</td><td></td><td>messages received</td></tr>
 *   <tr><td>{@code fifoactors.poller.message.age}</td><td>timer</td><td></td><td>how long the oldest message of
 *       each received batch waited in the queue (backlog age)</td></tr>
 *   <tr><td>{@code fifoactors.poller.message.age.last}</td><td>gauge (seconds)</td><td></td><td>that age for the
 *       last batch received</td></tr>
 *   <tr><td>{@code fifoactors.poller.port.failures}</td><td>counter</td><td>{@code operation}: {@code receive},
 *       {@code acknowledge}, {@code retry}, ...</td><td>failed mailbox calls of the poller</td></tr>
 *   <tr><td>{@code fifoactors.poller.holding}</td><td>counter</td><td></td><td>deliveries held back for another try
 *       through port failures, per round (HeldForPortFailures)</td></tr>
 *   <tr><td>{@code fifoactors.poller.acknowledgements.stale}</td><td>counter</td><td></td><td>acknowledgements
 *       refused as stale (the messages come back)</td></tr>
 *   <tr><td>{@code fifoactors.poller.heartbeats}</td><td>counter</td><td></td><td>visibility extensions</td></tr>
 * </table>
 * The tags given to {@link #create(MeterRegistry, Iterable)} (a poller's name, say) are added to every meter.
 *
 * <p>Thread-safe: the poller's loops and the group threads call it concurrently; every call is a few counter
 * increments.
 */
public final class MicrometerConsumerMetrics implements ConsumerMetrics, OutcomeListener {
    /** Messages by outcome. */
    public static final String MESSAGES = "fifoactors.messages";
    /** Runtime events by kind. */
    public static final String EVENTS = "fifoactors.runtime.events";
    /** Batch processing time. */
    public static final String BATCH_DURATION = "fifoactors.poller.batch.duration";
    /** Deliveries per batch. */
    public static final String BATCH_SIZE = "fifoactors.poller.batch.size";
    /** Deliveries settled. */
    public static final String SUCCEEDED = "fifoactors.poller.deliveries.succeeded";
    /** Deliveries retried, by cause. */
    public static final String RETRIED = "fifoactors.poller.deliveries.retried";
    /** Receive calls, by result. */
    public static final String RECEIVES = "fifoactors.poller.receives";
    /** Messages received. */
    public static final String RECEIVED = "fifoactors.poller.received";
    /** Age of the oldest message of each received batch. */
    public static final String MESSAGE_AGE = "fifoactors.poller.message.age";
    /** That age for the last batch received, in seconds. */
    public static final String MESSAGE_AGE_LAST = "fifoactors.poller.message.age.last";
    /** Failed mailbox calls of the poller, by operation. */
    public static final String PORT_FAILURES = "fifoactors.poller.port.failures";
    /** Deliveries held back through port failures, per round. */
    public static final String HOLDING = "fifoactors.poller.holding";
    /** Acknowledgements refused as stale. */
    public static final String STALE_ACKNOWLEDGEMENTS = "fifoactors.poller.acknowledgements.stale";
    /** Visibility extensions. */
    public static final String HEARTBEATS = "fifoactors.poller.heartbeats";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<Outcome.Kind, Counter> outcomes = new EnumMap<>(Outcome.Kind.class);
    private final Map<RuntimeEvent.Kind, Counter> events = new EnumMap<>(RuntimeEvent.Kind.class);
    private final Map<RetryCause, Counter> retried = new EnumMap<>(RetryCause.class);
    private final Map<String, Counter> portFailures = new ConcurrentHashMap<>();
    private final Timer batchDuration;
    private final DistributionSummary batchSize;
    private final Counter succeeded;
    private final Counter receivesWithMessages;
    private final Counter emptyReceives;
    private final Counter received;
    private final Timer messageAge;
    private final AtomicLong lastAgeMillis = new AtomicLong();
    private final Counter holding;
    private final Counter staleAcknowledgements;
    private final Counter heartbeats;

    private MicrometerConsumerMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        for (Outcome.Kind k : Outcome.Kind.values()) {
            outcomes.put(k, Counter.builder(MESSAGES).description("Messages by outcome")
                    .tags(tags).tag("outcome", lower(k.name())).register(registry));
        }
        for (RuntimeEvent.Kind k : RuntimeEvent.Kind.values()) {
            events.put(k, Counter.builder(EVENTS).description("Runtime events by kind")
                    .tags(tags).tag("event", lower(k.name())).register(registry));
        }
        for (RetryCause c : RetryCause.values()) {
            retried.put(c, Counter.builder(RETRIED).description("Deliveries given back for redelivery, by cause")
                    .tags(tags).tag("cause", lower(c.name())).register(registry));
        }
        batchDuration = Timer.builder(BATCH_DURATION).description("Time to process one batch").tags(tags)
                .register(registry);
        batchSize = DistributionSummary.builder(BATCH_SIZE).description("Deliveries per batch processed")
                .tags(tags).register(registry);
        succeeded = Counter.builder(SUCCEEDED).description("Deliveries settled").tags(tags).register(registry);
        receivesWithMessages = Counter.builder(RECEIVES).description("Receive calls that returned")
                .tags(tags).tag("result", "messages").register(registry);
        emptyReceives = Counter.builder(RECEIVES).description("Receive calls that returned")
                .tags(tags).tag("result", "empty").register(registry);
        received = Counter.builder(RECEIVED).description("Messages received").tags(tags).register(registry);
        messageAge = Timer.builder(MESSAGE_AGE).description("How long the oldest message of a received batch waited")
                .tags(tags).register(registry);
        io.micrometer.core.instrument.Gauge.builder(MESSAGE_AGE_LAST, lastAgeMillis, a -> a.get() / 1000.0)
                .description("How long the oldest message of the last batch received waited")
                .baseUnit("seconds").tags(tags).register(registry);
        holding = Counter.builder(HOLDING).description("Deliveries held back through port failures, per round")
                .tags(tags).register(registry);
        staleAcknowledgements = Counter.builder(STALE_ACKNOWLEDGEMENTS)
                .description("Acknowledgements refused as stale").tags(tags).register(registry);
        heartbeats = Counter.builder(HEARTBEATS).description("Visibility extensions").tags(tags).register(registry);
    }

    /** Registers the meters with {@code registry}. */
    public static MicrometerConsumerMetrics create(MeterRegistry registry) {
        return create(registry, Tags.empty());
    }

    /** Registers the meters with {@code registry}, each with {@code tags} besides its own. */
    public static MicrometerConsumerMetrics create(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tags, "tags");
        return new MicrometerConsumerMetrics(registry, Tags.of(tags));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------------------------------------ the runtime

    @Override
    public void onOutcome(Outcome outcome) {
        outcomes.get(outcome.kind()).increment();
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        events.get(event.kind()).increment();
    }

    // ------------------------------------------------------------------------------------------------ the poller

    @Override
    public void batch(int size, Duration took, int succeeded, int retried) {
        batchDuration.record(took);
        batchSize.record(size);
        this.succeeded.increment(succeeded);
        // retried deliveries are counted by cause in retried(cause, count)
    }

    @Override
    public void retried(RetryCause cause, int count) {
        retried.get(cause).increment(count);
    }

    @Override
    public void received(int count) {
        (count == 0 ? emptyReceives : receivesWithMessages).increment();
        received.increment(count);
    }

    @Override
    public void messageAge(Duration age) {
        messageAge.record(age);
        lastAgeMillis.set(age.toMillis());
    }

    @Override
    public void portFailure(String operation) {
        portFailures.computeIfAbsent(operation, op -> Counter.builder(PORT_FAILURES)
                .description("Failed mailbox calls of the poller, by operation")
                .tags(tags).tag("operation", op).register(registry)).increment();
    }

    @Override
    public void staleAcknowledgements(int count) {
        staleAcknowledgements.increment(count);
    }

    @Override
    public void holding(int count) {
        holding.increment(count);
    }

    @Override
    public void heartbeats(int count) {
        heartbeats.increment(count);
    }

    @Override
    public String toString() {
        return "MicrometerConsumerMetrics[" + registry.getClass().getSimpleName() + ", tags " + tags + "]";
    }
}
