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
    final InMemoryMailbox mailbox;
    final InMemoryStateStore store = InMemoryStateStore.create();
    final AtomicInteger primed = new AtomicInteger();
    final List<Outcome> heard = new CopyOnWriteArrayList<>();
    private final UnaryOperator<StateStore> storeDecorator;
    private final RuntimeException primeFailure;

    final List<java.time.Duration> retryDelays = new CopyOnWriteArrayList<>();
    private final io.fifoactors.core.port.Mailbox recording;

    public TestWiring() {
        this(UnaryOperator.identity(), null);
    }

    TestWiring(UnaryOperator<StateStore> storeDecorator, RuntimeException primeFailure) {
        this(storeDecorator, primeFailure, InMemoryMailbox.builder().clock(java.time.Clock.systemUTC()).noRedrive()
                .build());
    }

    TestWiring(UnaryOperator<StateStore> storeDecorator, RuntimeException primeFailure, InMemoryMailbox mailbox) {
        this.storeDecorator = storeDecorator;
        this.primeFailure = primeFailure;
        this.mailbox = mailbox;
        this.recording = new RecordingRetries(mailbox, retryDelays);
    }

    @Override
    public void register(ActorSystem.Builder system, LambdaSettings settings) {
        system.register(Tally.TYPE).mailbox(recording).scheduler(mailbox.scheduler())
                .stateStore(storeDecorator.apply(store));
    }

    /** The mailbox, recording the delays of {@code retryAfter} calls. */
    private static final class RecordingRetries implements io.fifoactors.core.port.Mailbox {
        private final InMemoryMailbox inner;
        private final List<java.time.Duration> delays;

        RecordingRetries(InMemoryMailbox inner, List<java.time.Duration> delays) {
            this.inner = inner;
            this.delays = delays;
        }

        @Override
        public void send(List<io.fifoactors.core.port.OutgoingMessage> messages) {
            inner.send(messages);
        }

        @Override
        public List<io.fifoactors.core.port.Delivery> receive(int max, java.time.Duration v, java.time.Duration w) {
            return inner.receive(max, v, w);
        }

        @Override
        public List<io.fifoactors.core.port.Delivery> acknowledge(List<io.fifoactors.core.port.Delivery> ds) {
            return inner.acknowledge(ds);
        }

        @Override
        public void retryAfter(List<io.fifoactors.core.port.Delivery> ds, java.time.Duration delay) {
            ds.forEach(d -> delays.add(delay));
            inner.retryAfter(ds, delay);
        }

        @Override
        public void extendVisibility(List<io.fifoactors.core.port.Delivery> ds, java.time.Duration visibility) {
            inner.extendVisibility(ds, visibility);
        }

        @Override
        public void deadLetter(io.fifoactors.core.port.DeadLetter letter) {
            inner.deadLetter(letter);
        }

        @Override
        public io.fifoactors.core.port.RedrivePolicy redrivePolicy() {
            return inner.redrivePolicy();
        }
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
