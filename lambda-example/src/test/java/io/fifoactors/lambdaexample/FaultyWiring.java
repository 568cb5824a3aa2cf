package io.fifoactors.lambdaexample;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.lambda.ActorWiring;
import io.fifoactors.lambda.LambdaSettings;

/**
 * A test wiring copied into a task root beside the packaged function: the ledger's wiring plus a "faulty" actor
 * whose handler throws on demand (an exception on {@code Boom}, a VM error on {@code Fatal}).
 */
public final class FaultyWiring implements ActorWiring {
    /** The faulty actor's state: how many messages it applied. */
    public record Count(long n) {
    }

    /** The faulty actor's messages. */
    public sealed interface Msg {
        /** Applied. */
        record Ok() implements Msg {
        }

        /** The handler throws an exception. */
        record Boom() implements Msg {
        }

        /** The handler throws an InternalError (a VirtualMachineError). */
        record Fatal() implements Msg {
        }
    }

    static final ActorType<Count, Msg> FAULTY = ActorType.builder("faulty", Count.class, Msg.class)
            .initialState(id -> new Count(0))
            .handler((state, msg, ctx) -> {
                if (msg instanceof Msg.Boom) {
                    throw new IllegalStateException("boom");
                }
                if (msg instanceof Msg.Fatal) {
                    throw new InternalError("simulated VM error");
                }
                return Effect.persist(new Count(state.n() + 1));
            })
            .build();

    private final LedgerWiring ledger = new LedgerWiring();

    public FaultyWiring() {
    }

    @Override
    public void register(ActorSystem.Builder system, LambdaSettings settings) {
        ledger.register(system, settings);
        system.register(FAULTY);
    }
}
