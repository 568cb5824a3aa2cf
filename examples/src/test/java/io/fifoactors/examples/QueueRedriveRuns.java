package io.fifoactors.examples;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.property.Gen;
import io.fifoactors.testkit.Setup;
import io.fifoactors.testkit.SimulationProperty;
import io.fifoactors.testkit.World;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the examples' "the queue moves messages by itself" properties share: setups whose queue moves a message after
 * 3 to 5 receives, the runtime settings that let it (crash check and attempts at 1, the record cache on, every
 * rejection kept), and the operator's final wake of every actor once the queue moved something.
 */
public final class QueueRedriveRuns {
    /** Setups with a queue redrive policy after 3 to 5 receives. */
    public static final Gen<Setup> SETUPS = Gen.combine(Gen.integers(1, 6), Gen.integers(1, 10), Setup.faultPlans(),
            Gen.integers(3, 5), Gen.longsAny(), Setup::new);

    private QueueRedriveRuns() {
    }

    /** The property with {@code types} registered and the settings that let the queue move messages. */
    public static <W> SimulationProperty<W> eager(SimulationProperty<W> p, Consumer<ActorSystem.Builder> types) {
        return p.actors(b -> {
                    types.accept(b);
                    b.keptRejections(1000).recordCache(64).crashCheckAfter(1);
                })
                // the operator moves back the runtime's dead letters only: a message the queue moved may have been
                // applied, and moved back it may apply again (docs/semantics.md, where the guarantees end)
                .simulation(s -> s.maxAttempts(1).operatorMovesQueueMoves(false));
    }

    /**
     * A message the queue moved after its commit leaves its outbox for the actor's next activation
     * (docs/semantics.md): the operator then wakes every actor, and the run goes on until quiet. Nothing else strands
     * an outbox, so nothing happens when the queue moved nothing.
     */
    public static void wakeAllIfTheQueueMoved(World world, List<ActorId> actors) {
        if (world.movedByQueueRedrive().isEmpty()) {
            return;
        }
        for (ActorId id : actors) {
            world.simulation().system().wake(id, "final-wake-" + id.key());
        }
        world.runUntilQuiet();
    }
}
