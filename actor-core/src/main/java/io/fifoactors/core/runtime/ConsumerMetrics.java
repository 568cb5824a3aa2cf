package io.fifoactors.core.runtime;

import io.fifoactors.core.runtime.BatchOutcome.RetryCause;

import java.time.Duration;

/**
 * What a consumer (the {@link Poller}) reports for monitoring, to bind to a metrics library: the
 * {@code metrics-micrometer} module's {@code io.fifoactors.metrics.micrometer.MicrometerConsumerMetrics} is one
 * binding (its javadoc names the meters). Outcomes of messages (applied, rejected, dead-lettered, duplicates) and
 * runtime events (version conflicts) come through the system's {@link OutcomeListener}; a binding usually implements
 * both, and the same instance is given to both.
 *
 * <pre>{@code
 * MicrometerConsumerMetrics metrics = MicrometerConsumerMetrics.create(registry);
 * ActorSystem system = ActorSystem.builder()...listener(metrics).build();
 * Poller.builder().system(system).metrics(metrics).build();
 * }</pre>
 *
 * <p>Implementations are called from the consumer threads concurrently: thread-safe and fast; exceptions are ignored.
 */
public interface ConsumerMetrics {
    /**
     * A batch was processed and settled (its acknowledgement returned or failed, its retries were asked for): its
     * size, how long processing took, how many succeeded and how many are retried.
     */
    default void batch(int size, Duration took, int succeeded, int retried) {
    }

    /** {@code count} deliveries are retried for {@code cause}. */
    default void retried(RetryCause cause, int count) {
    }

    /** A receive returned {@code count} messages (0: empty). */
    default void received(int count) {
    }

    /** How long the oldest message of a received batch waited in the queue (from its send to its receive). */
    default void messageAge(Duration age) {
    }

    /** A mailbox call of the consumer failed ({@code receive}, {@code acknowledge}, {@code retry}, ...). */
    default void portFailure(String operation) {
    }

    /** Acknowledgements refused because the receipt was stale or expired (the messages come back). */
    default void staleAcknowledgements(int count) {
    }

    /** Port failures hold {@code count} deliveries back for another try. */
    default void holding(int count) {
    }

    /** The visibility of in-flight messages was extended {@code count} times. */
    default void heartbeats(int count) {
    }

    /** Ignores everything. */
    ConsumerMetrics NONE = new ConsumerMetrics() {
    };
}
