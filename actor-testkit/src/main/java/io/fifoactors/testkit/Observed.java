package io.fifoactors.testkit;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.Handler;

import java.util.function.Consumer;

/**
 * A copy of an actor type whose handler reports every effect it returns, so the kit can check that the states and
 * messages the handler produced survive the codec. Everything else (name, state class, registry with its wire
 * names, initial state, poison policy, stash capacity) is the original's. Stateless; thread-safe.
 */
final class Observed {
    private Observed() {
    }

    static <S, M> ActorType<S, M> type(ActorType<S, M> type, Consumer<Effect<?>> effects) {
        Handler<S, M> original = type.handler();
        ActorType.Builder<S, M> b = ActorType.builder(type.name(), type.stateClass(), type.messageClass())
                .initialState(type::initialState)
                .handler((state, message, ctx) -> {
                    Effect<S> effect = original.handle(state, message, ctx);
                    if (effect != null) {
                        effects.accept(effect);
                    }
                    return effect;
                })
                .poisonPolicy(type.poisonPolicy())
                .stashCapacity(type.stashCapacity());
        type.messages().forEach(b::message);
        ActorType<S, M> copy = b.build();
        if (!copy.messages().equals(type.messages())) {
            throw new IllegalStateException("the test kit could not copy the message registry of " + type
                    + ": " + type.messages() + " became " + copy.messages());
        }
        return copy;
    }
}
