package io.fifoactors.inmemory;

import io.fifoactors.core.ConfigurationException;

import java.time.Duration;
import java.util.Objects;

/**
 * What can go wrong in a {@link Simulation}, as probabilities per port call (load, commit, send, receive,
 * acknowledge, release, dead-letter):
 * <ul>
 *   <li>{@code crashRate}: the consumer dies just before or just after the call (covering every crash point: before
 *       the state write, after it and before the send, after the send and before the acknowledgement). It restarts
 *       with nothing in memory; what it had in flight comes back after the visibility timeout.</li>
 *   <li>{@code transientRate}: the call fails with a retryable error, half the time before taking effect and half the
 *       time after (a timeout whose write did happen).</li>
 *   <li>{@code stallRate}: the call takes {@code stall} of virtual time, long enough for a visibility timeout to
 *       expire mid-processing, so a second consumer gets the same actor.</li>
 * </ul>
 * Latency: every mailbox call also takes a random time between {@code minLatency} and {@code maxLatency}, every state
 * store call one between {@code minStoreLatency} and {@code maxStoreLatency} (the same range unless set apart with
 * {@link Builder#storeLatency}), as SQS and DynamoDB answer at different speeds.
 *
 * <pre>{@code
 * FaultPlan faults = FaultPlan.builder().crashRate(0.01).transientRate(0.02).stallRate(0.005).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record FaultPlan(double crashRate, double transientRate, double stallRate, Duration stall,
                        Duration minLatency, Duration maxLatency, Duration minStoreLatency,
                        Duration maxStoreLatency) {
    public FaultPlan {
        checkRate("crashRate", crashRate);
        checkRate("transientRate", transientRate);
        checkRate("stallRate", stallRate);
        Objects.requireNonNull(stall, "stall");
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (crashRate + transientRate + stallRate > 0.9) {
            throw new ConfigurationException("fault rates add up to more than 0.9; nothing would make progress");
        }
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new ConfigurationException("latency range must satisfy 0 <= min <= max");
        }
        Objects.requireNonNull(minStoreLatency, "minStoreLatency");
        Objects.requireNonNull(maxStoreLatency, "maxStoreLatency");
        if (minStoreLatency.isNegative() || maxStoreLatency.compareTo(minStoreLatency) < 0) {
            throw new ConfigurationException("store latency range must satisfy 0 <= min <= max");
        }
    }

    /** No faults; 1 to 5 ms per call. */
    public static FaultPlan none() {
        return builder().build();
    }

    /** Every kind of fault at {@code rate} per call in total (split 40% crashes, 40% transient, 20% stalls). */
    public static FaultPlan uniform(double rate) {
        return builder().crashRate(rate * 0.4).transientRate(rate * 0.4).stallRate(rate * 0.2).build();
    }

    public boolean isNone() {
        return crashRate == 0 && transientRate == 0 && stallRate == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void checkRate(String name, double r) {
        if (!(r >= 0 && r <= 0.9)) {
            throw new ConfigurationException(name + " must be between 0 and 0.9, was " + r);
        }
    }

    /** Builds a {@link FaultPlan}; not thread-safe. */
    public static final class Builder {
        private double crashRate;
        private double transientRate;
        private double stallRate;
        private Duration stall = Duration.ofSeconds(45);
        private Duration minLatency = Duration.ofMillis(1);
        private Duration maxLatency = Duration.ofMillis(5);
        private Duration minStoreLatency;
        private Duration maxStoreLatency;

        public Builder crashRate(double r) {
            this.crashRate = r;
            return this;
        }

        public Builder transientRate(double r) {
            this.transientRate = r;
            return this;
        }

        public Builder stallRate(double r) {
            this.stallRate = r;
            return this;
        }

        /** How long a stalled call takes; make it longer than the visibility timeout. */
        public Builder stall(Duration d) {
            this.stall = d;
            return this;
        }

        /** Latency of every call (mailbox and state store, unless {@link #storeLatency} sets the store's). */
        public Builder latency(Duration min, Duration max) {
            this.minLatency = min;
            this.maxLatency = max;
            return this;
        }

        /** Latency of the state store's calls only (load, load-all, commit). */
        public Builder storeLatency(Duration min, Duration max) {
            this.minStoreLatency = min;
            this.maxStoreLatency = max;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(crashRate, transientRate, stallRate, stall, minLatency, maxLatency,
                    minStoreLatency == null ? minLatency : minStoreLatency,
                    maxStoreLatency == null ? maxLatency : maxStoreLatency);
        }
    }
}
