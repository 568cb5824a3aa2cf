package io.fifoactors.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.Effect;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * B1 for Apache Pekko, in the same JVM, on a dispatcher of 2 threads (a fixed thread pool; Pekko's internal and
 * persistence-plugin dispatchers are pointed at it): one actor per account running the very same ledger handler
 * ({@link Domain#decide}, i.e. {@code Ledger.ACCOUNT.handle}), a transfer's credit told to the receiving account
 * with the sending account's id beside it (the context's sender, which the ledger checks).
 * <ul>
 *   <li>{@link Kind#TYPED}: plain pekko-actor-typed; the state lives in the actor and nothing is persisted.</li>
 *   <li>{@link Kind#DURABLE_STATE}: pekko-persistence-typed {@code DurableStateBehavior} on the persistence testkit's
 *       in-memory durable state store, which keeps objects: no serialization.</li>
 *   <li>{@link Kind#EVENT_SOURCED}: pekko-persistence-typed {@code EventSourcedBehavior} on Pekko's in-memory
 *       journal with {@code test-serialization = on}: every event goes through Pekko's serialization, bound to
 *       pekko-serialization-jackson's {@code jackson-json} serializer (serialized and deserialized again: a real
 *       journal pays the serialization on write, and the deserialization only on recovery). The event is the
 *       account's new state; the credit is told after the event is persisted.</li>
 * </ul>
 * The producer (the calling thread) tells every transaction, then waits until every message and every credit it
 * caused is handled; that is timed.
 */
final class PekkoThroughput {
    enum Kind {
        TYPED("Pekko typed (no persistence)"),
        DURABLE_STATE("Pekko durable state (testkit store, no serialization)"),
        EVENT_SOURCED("Pekko event-sourced (inmem journal, Jackson-serialized events)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A message with the account that sent it (none for the producer's transactions). */
    record Tell(ActorId sender, AccountMessage message) {
    }

    private PekkoThroughput() {
    }

    static RuntimeThroughput.Result run(Kind kind, LedgerWorkload w) {
        Shared shared = new Shared(w.accounts());
        CountDownLatch spawned = new CountDownLatch(1);
        Behavior<Void> guardian = Behaviors.setup(ctx -> {
            for (int i = 0; i < w.accounts(); i++) {
                String key = LedgerWorkload.key(i);
                shared.refs.put(key, ctx.spawn(account(kind, i, key, shared), key));
            }
            spawned.countDown();
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(guardian, "b1-" + kind.name().toLowerCase().replace('_', '-'),
                config(kind));
        try {
            await(spawned);
            List<ActorRef<Tell>> openRefs = new ArrayList<>();
            List<Tell> openMsgs = new ArrayList<>();
            prepare(w.opens(), shared, openRefs, openMsgs);
            List<ActorRef<Tell>> refs = new ArrayList<>();
            List<Tell> msgs = new ArrayList<>();
            prepare(w.transactions(), shared, refs, msgs);

            drive(shared, openRefs, openMsgs); // setup: includes the recovery of every persistent actor
            long handledBefore = shared.handled.sum();
            System.gc();
            ThreadCost before = ThreadCost.snapshot();
            long t0 = System.nanoTime();
            drive(shared, refs, msgs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ThreadCost.Delta cost = ThreadCost.snapshot().since(before);
            long handled = shared.handled.sum() - handledBefore;

            long balances = 0;
            long deposited = 0;
            for (Account a : shared.finalStates) {
                if (a == null) {
                    continue;
                }
                balances += a.balance() + a.suspense();
                deposited += a.deposited();
            }
            boolean conserved = balances == w.depositTotal() && deposited == w.depositTotal();
            return new RuntimeThroughput.Result(kind.label, w.transactions().size(), handled, seconds, 0, conserved,
                    cost.allocatedBytes(), cost.cpuNanos(), cost.callerBytes(), cost.callerCpuNanos(), cost.gcMillis(),
                    new long[0], "");
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // a slow shutdown does not change the figures
            }
        }
    }

    private static void prepare(List<LedgerTransaction> txs, Shared shared, List<ActorRef<Tell>> refs,
                                List<Tell> msgs) {
        for (LedgerTransaction tx : txs) {
            refs.add(shared.refs.get(tx.account()));
            msgs.add(new Tell(null, tx.toMessage()));
        }
    }

    /** Tells every message, then waits until every message and every credit it caused is handled. */
    private static void drive(Shared shared, List<ActorRef<Tell>> refs, List<Tell> msgs) {
        for (int i = 0; i < refs.size(); i++) {
            shared.sent.increment();
            refs.get(i).tell(msgs.get(i));
        }
        // quiescent when everything told was handled (a handler counts its own tells before it counts itself)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            long handled = shared.handled.sum();
            long sent = shared.sent.sum();
            if (handled == sent) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Pekko did not settle: " + handled + " of " + sent + " handled");
            }
            RuntimeThroughput.sleepABit();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Pekko actors were not spawned in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Config config(Kind kind) {
        List<String> lines = new ArrayList<>(List.of(
                "pekko.loglevel = WARNING",
                "pekko.log-dead-letters = off",
                // 2 threads, like the fifo-actors Poller's 2 consumers
                "pekko.actor.default-dispatcher.executor = \"thread-pool-executor\"",
                "pekko.actor.default-dispatcher.thread-pool-executor.fixed-pool-size = 2",
                "pekko.actor.internal-dispatcher = \"pekko.actor.default-dispatcher\"",
                "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"",
                "pekko.persistence.journal.inmem.plugin-dispatcher = \"pekko.actor.default-dispatcher\"",
                "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.no-snapshot-store\"",
                "pekko.persistence.state.plugin = \"pekko.persistence.testkit.state\""));
        if (kind == Kind.EVENT_SOURCED) {
            lines.add("pekko.persistence.journal.inmem.test-serialization = on");
            lines.add("pekko.actor.serialization-bindings { \"" + Account.class.getName() + "\" = jackson-json }");
        }
        return ConfigFactory.parseString(String.join("\n", lines)).withFallback(ConfigFactory.load());
    }

    private static Behavior<Tell> account(Kind kind, int index, String key, Shared shared) {
        io.fifoactors.core.ActorRef<AccountMessage> self = Ledger.account(key);
        return switch (kind) {
            case TYPED -> Behaviors.setup(ctx -> new TypedAccount(ctx, index, self, shared));
            case EVENT_SOURCED -> new EventSourcedAccount(index, self, shared);
            case DURABLE_STATE -> new DurableStateAccount(index, self, shared);
        };
    }

    /** Counters and the account registry shared by the actors of one run. */
    static final class Shared {
        final ConcurrentHashMap<String, ActorRef<Tell>> refs = new ConcurrentHashMap<>();
        /**
         * Each actor's latest state, written by the actor before it counts the message as handled (a volatile
         * update that the driver's read of the counter synchronises with), read once the run is quiescent.
         */
        final Account[] finalStates;
        final LongAdder sent = new LongAdder();
        final LongAdder handled = new LongAdder();

        Shared(int accounts) {
            this.finalStates = new Account[accounts];
        }

        void sends(ActorId from, Effect<Account> effect) {
            Domain.forEachSend(effect, s -> {
                sent.increment();
                refs.get(s.target().key()).tell(new Tell(from, (AccountMessage) s.message()));
            });
        }
    }

    static Effect<Account> decide(io.fifoactors.core.ActorRef<AccountMessage> self, Account state, Tell t) {
        return Domain.decide(self, Optional.ofNullable(t.sender()), state, t.message());
    }

    static final class TypedAccount extends AbstractBehavior<Tell> {
        private final int index;
        private final io.fifoactors.core.ActorRef<AccountMessage> self;
        private final Shared shared;
        private Account state = Account.NEW;

        TypedAccount(org.apache.pekko.actor.typed.javadsl.ActorContext<Tell> ctx, int index,
                     io.fifoactors.core.ActorRef<AccountMessage> self, Shared shared) {
            super(ctx);
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Receive<Tell> createReceive() {
            return newReceiveBuilder().onMessage(Tell.class, this::on).build();
        }

        private Behavior<Tell> on(Tell m) {
            Effect<Account> e = decide(self, state, m);
            if (e.newState().isPresent()) {
                state = e.newState().get();
                shared.finalStates[index] = state;
            }
            shared.sends(self.id(), e);
            shared.handled.increment();
            return this;
        }
    }

    static final class EventSourcedAccount extends EventSourcedBehavior<Tell, Account, Account> {
        private final int index;
        private final io.fifoactors.core.ActorRef<AccountMessage> self;
        private final Shared shared;

        EventSourcedAccount(int index, io.fifoactors.core.ActorRef<AccountMessage> self, Shared shared) {
            super(PersistenceId.ofUniqueId(self.id().groupId()));
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Account emptyState() {
            return Account.NEW;
        }

        @Override
        public CommandHandler<Tell, Account, Account> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::on);
        }

        private org.apache.pekko.persistence.typed.javadsl.Effect<Account, Account> on(Account state, Tell m) {
            Effect<Account> e = decide(self, state, m);
            if (e.newState().isPresent()) {
                return Effect().persist(e.newState().get()).thenRun(s -> {
                    shared.finalStates[index] = s;
                    shared.sends(self.id(), e);
                    shared.handled.increment();
                });
            }
            shared.sends(self.id(), e);
            shared.handled.increment();
            return Effect().none();
        }

        @Override
        public EventHandler<Account, Account> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> event);
        }
    }

    static final class DurableStateAccount extends DurableStateBehavior<Tell, Account> {
        private final int index;
        private final io.fifoactors.core.ActorRef<AccountMessage> self;
        private final Shared shared;

        DurableStateAccount(int index, io.fifoactors.core.ActorRef<AccountMessage> self, Shared shared) {
            super(PersistenceId.ofUniqueId(self.id().groupId()));
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Account emptyState() {
            return Account.NEW;
        }

        @Override
        public org.apache.pekko.persistence.typed.state.javadsl.CommandHandler<Tell, Account> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::on);
        }

        private org.apache.pekko.persistence.typed.state.javadsl.Effect<Account> on(Account state, Tell m) {
            Effect<Account> e = decide(self, state, m);
            if (e.newState().isPresent()) {
                return Effect().persist(e.newState().get()).thenRun(s -> {
                    shared.finalStates[index] = s;
                    shared.sends(self.id(), e);
                    shared.handled.increment();
                });
            }
            shared.sends(self.id(), e);
            shared.handled.increment();
            return Effect().none();
        }
    }
}
