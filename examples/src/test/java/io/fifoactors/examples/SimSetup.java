package io.fifoactors.examples;

import io.fifoactors.core.ActorType;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.inmemory.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.Duration;

/**
 * How a property runs the simulator: consumers, batch size, fault rates and seed, all drawn at random. A stall past
 * SQS's 5-minute deduplication window makes a late re-send reach the queue again, so the receiver must recognise it.
 *
 * @param consumers     concurrent simulated consumers
 * @param batchSize     messages per receive
 * @param crashRate     consumer crashes per port call
 * @param transientRate retryable errors per port call
 * @param stallRate     stalled calls per port call
 * @param switches      bit 0: stalls of 7 minutes (past the deduplication window) instead of 45 seconds; bit 1: the
 *                      runtime's record cache; bit 2: runtime redrive (the queue has no redrive policy)
 * @param seed          the simulation's seed
 */
public record SimSetup(int consumers, int batchSize, double crashRate, double transientRate, double stallRate,
                       int switches, long seed) {
    /** The simulator's settings, up to 5% of each kind of fault per port call. */
    public static Arbitrary<SimSetup> arbitrary() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 10),
                        Arbitraries.doubles().between(0, 0.05), Arbitraries.doubles().between(0, 0.05),
                        Arbitraries.doubles().between(0, 0.05), Arbitraries.integers().between(0, 7),
                        Arbitraries.longs())
                .as(SimSetup::new);
    }

    public FaultPlan faultPlan() {
        return FaultPlan.builder().crashRate(crashRate).transientRate(transientRate).stallRate(stallRate)
                .stall((switches & 1) != 0 ? Duration.ofMinutes(7) : Duration.ofSeconds(45)).build();
    }

    /**
     * A simulation of {@code type} with these settings. Every rejection is kept in the actors' records, so that a
     * property can tell which message was rejected and why.
     */
    public Simulation simulation(ActorType<?, ?> type) {
        return Simulation.builder()
                .configure(b -> b.register(type).keptRejections(1000).recordCache((switches & 2) != 0 ? 64 : 0))
                .consumers(consumers).batchSize(batchSize).seed(seed).runtimeRedrive((switches & 4) != 0)
                .faults(faultPlan())
                .build();
    }
}
