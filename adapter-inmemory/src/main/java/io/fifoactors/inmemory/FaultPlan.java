package io.fifoactors.inmemory;

import io.fifoactors.core.ConfigurationException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What can go wrong in a {@link Simulation}, as probabilities per port call (load, commit, archive, send, receive,
 * acknowledge, change visibility, dead-letter, schedule) and as events in virtual time:
 * <ul>
 *   <li>{@code crashRate}: the consumer dies just before or just after the call (covering every crash point). It
 *       restarts with nothing in memory; what it had in flight comes back after the visibility timeout.</li>
 *   <li>{@code transientRate}: the call fails with a retryable error, half the time before taking effect and half the
 *       time after (a timeout whose write did happen). {@code deadLetterFailureRate} adds to it for dead-letter
 *       sends.</li>
 *   <li>{@code stallRate}: the call takes {@code stall} of virtual time, long enough for a visibility timeout to
 *       expire mid-processing, so a second consumer gets the same actor.</li>
 *   <li>{@code outageRate}: an outage starts at the call: the state store, the mailbox or the scheduler (chosen at
 *       random) fails every call for {@code outageMin} to {@code outageMax} of virtual time, for every consumer, as a
 *       region-wide or network outage would.</li>
 *   <li>{@code staleReadRate}: an eventually consistent read within a second of a commit returns the record the
 *       commit replaced.</li>
 *   <li>{@code operatorRedrive}: every so often, an operator moves the dead letters back to the queue (each message
 *       at most once), as one fixing a bug would.</li>
 * </ul>
 * Latency: every mailbox call also takes a random time between {@code minLatency} and {@code maxLatency}, every state
 * store call one between {@code minStoreLatency} and {@code maxStoreLatency}.
 *
 * <pre>{@code
 * FaultPlan faults = FaultPlan.builder().crashRate(0.01).transientRate(0.02).stallRate(0.005)
 *         .outages(0.001, Duration.ofSeconds(5), Duration.ofMinutes(2)).staleReadRate(0.2).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record FaultPlan(double crashRate, double transientRate, double stallRate, Duration stall,
                        double outageRate, Duration outageMin, Duration outageMax, double deadLetterFailureRate,
                        double staleReadRate, Optional<Duration> operatorRedrive,
                        Duration minLatency, Duration maxLatency, Duration minStoreLatency,
                        Duration maxStoreLatency) {
    public FaultPlan {
        checkRate("crashRate", crashRate);
        checkRate("transientRate", transientRate);
        checkRate("stallRate", stallRate);
        checkRate("outageRate", outageRate);
        checkRate("deadLetterFailureRate", deadLetterFailureRate);
        if (!(staleReadRate >= 0 && staleReadRate <= 1)) {
            throw new ConfigurationException("staleReadRate must be between 0 and 1, was " + staleReadRate);
        }
        Objects.requireNonNull(stall, "stall");
        Objects.requireNonNull(outageMin, "outageMin");
        Objects.requireNonNull(outageMax, "outageMax");
        Objects.requireNonNull(operatorRedrive, "operatorRedrive");
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (crashRate + transientRate + stallRate > 0.9) {
            throw new ConfigurationException("fault rates add up to more than 0.9; nothing would make progress");
        }
        if (outageMin.isNegative() || outageMax.compareTo(outageMin) < 0) {
            throw new ConfigurationException("outage range must satisfy 0 <= min <= max");
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

    /** Crashes, transient errors and stalls at {@code rate} per call in total (split 40% / 40% / 20%). */
    public static FaultPlan uniform(double rate) {
        return builder().crashRate(rate * 0.4).transientRate(rate * 0.4).stallRate(rate * 0.2).build();
    }

    public boolean isNone() {
        return crashRate == 0 && transientRate == 0 && stallRate == 0 && outageRate == 0
                && deadLetterFailureRate == 0;
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
        private double outageRate;
        private Duration outageMin = Duration.ofSeconds(5);
        private Duration outageMax = Duration.ofMinutes(2);
        private double deadLetterFailureRate;
        private double staleReadRate;
        private Duration operatorRedrive;
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

        /** Outages of {@code min} to {@code max}, starting at a port call with probability {@code rate}. */
        public Builder outages(double rate, Duration min, Duration max) {
            this.outageRate = rate;
            this.outageMin = min;
            this.outageMax = max;
            return this;
        }

        /** Extra failure probability of dead-letter sends. */
        public Builder deadLetterFailureRate(double r) {
            this.deadLetterFailureRate = r;
            return this;
        }

        /** Probability that an eventually consistent read shortly after a commit returns the replaced record. */
        public Builder staleReadRate(double r) {
            this.staleReadRate = r;
            return this;
        }

        /** An operator moves the dead letters back to the queue every {@code every} of virtual time. */
        public Builder operatorRedrive(Duration every) {
            if (every.isZero() || every.isNegative()) {
                throw new ConfigurationException("operatorRedrive interval must be positive");
            }
            this.operatorRedrive = every;
            return this;
        }

        /** Latency of every call (mailbox and state store, unless {@link #storeLatency} sets the store's). */
        public Builder latency(Duration min, Duration max) {
            this.minLatency = min;
            this.maxLatency = max;
            return this;
        }

        /** Latency of the state store's calls only (load, load-all, commit, archive). */
        public Builder storeLatency(Duration min, Duration max) {
            this.minStoreLatency = min;
            this.maxStoreLatency = max;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(crashRate, transientRate, stallRate, stall, outageRate, outageMin, outageMax,
                    deadLetterFailureRate, staleReadRate, Optional.ofNullable(operatorRedrive), minLatency,
                    maxLatency, minStoreLatency == null ? minLatency : minStoreLatency,
                    maxStoreLatency == null ? maxLatency : maxStoreLatency);
        }
    }
}
