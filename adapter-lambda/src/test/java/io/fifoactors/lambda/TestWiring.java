package io.fifoactors.lambda;

import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Wires the {@link Tally} actor over the in-memory adapters, which the test then inspects. */
public final class TestWiring implements ActorWiring {
    final InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(java.time.Clock.systemUTC()).build();
    final InMemoryStateStore store = InMemoryStateStore.create();
    final AtomicInteger primed = new AtomicInteger();
    final List<Outcome> heard = new CopyOnWriteArrayList<>();
    private final UnaryOperator<StateStore> storeDecorator;
    private final RuntimeException primeFailure;

    public TestWiring() {
        this(UnaryOperator.identity(), null);
    }

    TestWiring(UnaryOperator<StateStore> storeDecorator, RuntimeException primeFailure) {
        this.storeDecorator = storeDecorator;
        this.primeFailure = primeFailure;
    }

    @Override
    public void register(ActorSystem.Builder system, LambdaSettings settings) {
        system.register(Tally.TYPE).mailbox(mailbox).stateStore(storeDecorator.apply(store));
    }

    @Override
    public OutcomeListener listener() {
        return heard::add;
    }

    @Override
    public void prime(ActorSystem system, LambdaSettings settings) {
        primed.incrementAndGet();
        if (primeFailure != null) {
            throw primeFailure;
        }
    }
}
