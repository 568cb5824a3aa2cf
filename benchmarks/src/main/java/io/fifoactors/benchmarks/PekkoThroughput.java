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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * B1 for Apache Pekko, in the same JVM: one actor per account running the very same ledger handler
 * ({@link Domain#decide}), a transfer's credit told to the receiving account.
 * <ul>
 *   <li>{@link Kind#TYPED}: plain pekko-actor-typed; the state lives in the actor and nothing is persisted.</li>
 *   <li>{@link Kind#EVENT_SOURCED}: pekko-persistence-typed {@code EventSourcedBehavior} on Pekko's built-in
 *       in-memory journal ({@code pekko.persistence.journal.inmem}); the event is the new account state; the credit
 *       is told after the event is persisted.</li>
 *   <li>{@link Kind#DURABLE_STATE}: pekko-persistence-typed {@code DurableStateBehavior} on the persistence testkit's
 *       in-memory durable state store.</li>
 * </ul>
 * Neither in-memory store serializes (Pekko's defaults), while fifo-actors always runs its codec: the state and
 * every message go through JSON, as they must to reach DynamoDB and SQS.
 */
final class PekkoThroughput {
    enum Kind {
        TYPED("Pekko typed (no persistence)"),
        EVENT_SOURCED("Pekko persistence, event-sourced (inmem journal)"),
        DURABLE_STATE("Pekko persistence, durable state (testkit store)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
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
                config());
        try {
            await(spawned);
            List<ActorRef<AccountMessage>> openRefs = new ArrayList<>();
            List<AccountMessage> openMsgs = new ArrayList<>();
            prepare(w.opens(), shared, openRefs, openMsgs);
            List<ActorRef<AccountMessage>> refs = new ArrayList<>();
            List<AccountMessage> msgs = new ArrayList<>();
            prepare(w.transactions(), shared, refs, msgs);

            drive(shared, openRefs, openMsgs); // setup: includes the recovery of every persistent actor
            long handledBefore = shared.handled.sum();
            long t0 = System.nanoTime();
            drive(shared, refs, msgs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long handled = shared.handled.sum() - handledBefore;

            long balances = 0;
            long deposited = 0;
            for (Account a : shared.finalStates) {
                if (a == null) {
                    continue;
                }
                balances += a.balance();
                deposited += a.deposited();
            }
            boolean conserved = balances == w.depositTotal() && deposited == w.depositTotal();
            return new RuntimeThroughput.Result(kind.label, w.transactions().size(), handled, seconds, 0, conserved,
                    Double.NaN, Double.NaN, Double.NaN);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // a slow shutdown does not change the figures
            }
        }
    }

    private static void prepare(List<LedgerTransaction> txs, Shared shared, List<ActorRef<AccountMessage>> refs,
                                List<AccountMessage> msgs) {
        for (LedgerTransaction tx : txs) {
            refs.add(shared.refs.get(tx.account()));
            msgs.add(tx.toMessage());
        }
    }

    /** Tells every message, then waits until every message and every credit it caused is handled. */
    private static void drive(Shared shared, List<ActorRef<AccountMessage>> refs, List<AccountMessage> msgs) {
        for (int i = 0; i < refs.size(); i++) {
            shared.sent.increment();
            refs.get(i).tell(msgs.get(i));
        }
        // quiescent when everything told was handled (a handler counts its own tells before it counts itself)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            long handled = shared.handled.sum();
            long sent = shared.sent.sum();
            if (handled == sent) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Pekko did not settle: " + handled + " of " + sent + " handled");
            }
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
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

    private static Config config() {
        return ConfigFactory.parseString(String.join("\n",
                        "pekko.loglevel = WARNING",
                        "pekko.log-dead-letters = off",
                        "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"",
                        "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.no-snapshot-store\"",
                        "pekko.persistence.state.plugin = \"pekko.persistence.testkit.state\""))
                .withFallback(ConfigFactory.load());
    }

    private static Behavior<AccountMessage> account(Kind kind, int index, String key, Shared shared) {
        ActorId self = Ledger.account(key);
        return switch (kind) {
            case TYPED -> Behaviors.setup(ctx -> new TypedAccount(ctx, index, self, shared));
            case EVENT_SOURCED -> new EventSourcedAccount(index, self, shared);
            case DURABLE_STATE -> new DurableStateAccount(index, self, shared);
        };
    }

    /** Counters and the account registry shared by the actors of one run. */
    static final class Shared {
        final ConcurrentHashMap<String, ActorRef<AccountMessage>> refs = new ConcurrentHashMap<>();
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

        void sends(Effect<Account> effect) {
            for (Effect.Send s : effect.sends()) {
                sent.increment();
                refs.get(s.target().key()).tell((AccountMessage) s.message());
            }
        }
    }

    static final class TypedAccount extends AbstractBehavior<AccountMessage> {
        private final int index;
        private final ActorId self;
        private final Shared shared;
        private Account state = Account.NEW;

        TypedAccount(org.apache.pekko.actor.typed.javadsl.ActorContext<AccountMessage> ctx, int index, ActorId self,
                     Shared shared) {
            super(ctx);
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Receive<AccountMessage> createReceive() {
            return newReceiveBuilder().onMessage(AccountMessage.class, this::on).build();
        }

        private Behavior<AccountMessage> on(AccountMessage m) {
            Effect<Account> e = Domain.decide(self, state, m, "");
            if (e.kind() == Effect.Kind.PERSIST) {
                state = e.state();
                shared.finalStates[index] = state;
            }
            shared.sends(e);
            shared.handled.increment();
            return this;
        }
    }

    static final class EventSourcedAccount extends EventSourcedBehavior<AccountMessage, Account, Account> {
        private final int index;
        private final ActorId self;
        private final Shared shared;

        EventSourcedAccount(int index, ActorId self, Shared shared) {
            super(PersistenceId.ofUniqueId(self.groupId()));
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Account emptyState() {
            return Account.NEW;
        }

        @Override
        public CommandHandler<AccountMessage, Account, Account> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::on);
        }

        private org.apache.pekko.persistence.typed.javadsl.Effect<Account, Account> on(Account state,
                                                                                        AccountMessage m) {
            Effect<Account> e = Domain.decide(self, state, m, "");
            if (e.kind() == Effect.Kind.PERSIST) {
                return Effect().persist(e.state()).thenRun(s -> {
                    shared.finalStates[index] = s;
                    shared.sends(e);
                    shared.handled.increment();
                });
            }
            shared.sends(e);
            shared.handled.increment();
            return Effect().none();
        }

        @Override
        public EventHandler<Account, Account> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> event);
        }
    }

    static final class DurableStateAccount extends DurableStateBehavior<AccountMessage, Account> {
        private final int index;
        private final ActorId self;
        private final Shared shared;

        DurableStateAccount(int index, ActorId self, Shared shared) {
            super(PersistenceId.ofUniqueId(self.groupId()));
            this.index = index;
            this.self = self;
            this.shared = shared;
        }

        @Override
        public Account emptyState() {
            return Account.NEW;
        }

        @Override
        public org.apache.pekko.persistence.typed.state.javadsl.CommandHandler<AccountMessage, Account>
                commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::on);
        }

        private org.apache.pekko.persistence.typed.state.javadsl.Effect<Account> on(Account state, AccountMessage m) {
            Effect<Account> e = Domain.decide(self, state, m, "");
            if (e.kind() == Effect.Kind.PERSIST) {
                return Effect().persist(e.state()).thenRun(s -> {
                    shared.finalStates[index] = s;
                    shared.sends(e);
                    shared.handled.increment();
                });
            }
            shared.sends(e);
            shared.handled.increment();
            return Effect().none();
        }
    }
}
