package io.fifoactors.testkit;

import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.property.Gen;

import java.time.Duration;

/**
 * How one try of a {@link SimulationProperty} is deployed: concurrent consumers, messages per receive, the faults,
 * whether the queue has a redrive policy, and the simulation's seed. Generated (and shrunk) with the workload, so a
 * failure reports the setup it needs and replays exactly.
 *
 * <pre>{@code
 * Setup s = Setup.GEN.sample(42L);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param queueRedrive 0: the queue has no redrive policy (the runtime dead-letters, the recommended setting); else
 *                     the queue's maxReceiveCount
 */
public record Setup(int consumers, int batchSize, FaultPlan faults, int queueRedrive, long seed) {
    /** No faults, one consumer. */
    public static Setup quiet(long seed) {
        return new Setup(1, 10, FaultPlan.none(), 0, seed);
    }

    /**
     * The setups of the guarantee properties: 1-6 consumers, batches of 1-10, and faults at every port call
     * (crashes, transient errors before and after the call takes effect, stalls past the visibility timeout and
     * sometimes past the 5-minute deduplication window, outages of the store, the mailbox or the scheduler for
     * seconds to minutes, dead-letter sends failing, stale eventually consistent reads, an operator moving dead
     * letters back), with and without a queue redrive policy.
     */
    public static final Gen<Setup> GEN = Gen.combine(
            Gen.integers(1, 6), Gen.integers(1, 10), faultPlans(), Gen.frequency(Gen.weighted(3, 0),
                    Gen.weighted(1, Gen.integers(9, 20))), Gen.longsAny(), Setup::new);

    /** Fault plans from none to harsh. */
    public static Gen<FaultPlan> faultPlans() {
        Gen<Double> rate = Gen.frequency(Gen.weighted(2, 0.0), Gen.weighted(3, Gen.doubles(0, 0.05)));
        Gen<Duration> stall = Gen.frequency(Gen.weighted(4, Duration.ofSeconds(45)),
                Gen.weighted(1, Duration.ofMinutes(7)));
        Gen<Double> outages = Gen.frequency(Gen.weighted(3, 0.0), Gen.weighted(1, Gen.doubles(0, 0.01)));
        Gen<Boolean> operator = Gen.frequency(Gen.weighted(3, false), Gen.weighted(1, true));
        return Gen.combine(rate, rate, Gen.doubles(0, 0.03), stall, outages, rate, operator,
                (crash, transientRate, stallRate, stallFor, outage, deadLetter, redrive) -> {
                    FaultPlan.Builder b = FaultPlan.builder().crashRate(crash).transientRate(transientRate)
                            .stallRate(stallRate).stall(stallFor)
                            .outages(outage, Duration.ofSeconds(5), Duration.ofMinutes(2))
                            .deadLetterFailureRate(deadLetter).staleReadRate(0.3);
                    if (redrive) {
                        b.operatorRedrive(Duration.ofMinutes(10));
                    }
                    return b.build();
                });
    }
}
