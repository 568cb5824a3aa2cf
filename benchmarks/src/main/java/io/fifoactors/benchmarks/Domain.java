package io.fifoactors.benchmarks;

import io.fifoactors.core.Action;
import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.Effect;
import io.fifoactors.core.MessageMetadata;
import io.fifoactors.core.Send;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger's domain logic for the alternatives (Pekko, the hand-rolled consumers, the single-group actor): the very
 * handler the runtime runs, {@link Ledger#ACCOUNT}{@code .handle(state, message, context)}, called with a plain
 * context whose metadata names the sending account (the ledger accepts a credit only from the account it names and
 * a refund only from an account), so every contender decides exactly the same way.
 */
final class Domain {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private Domain() {
    }

    /**
     * Runs the ledger's handler for the account {@code self}.
     *
     * @param sender the account that sent the message (credits and refunds), empty for a producer's transaction
     */
    static Effect<Account> decide(ActorRef<AccountMessage> self, Optional<ActorId> sender, Account state,
                                  AccountMessage message) {
        try {
            return Ledger.ACCOUNT.handle(state, message, new Context(self, sender));
        } catch (Exception e) {
            throw new IllegalStateException("the ledger handler failed", e);
        }
    }

    /** The state after {@code e}: its new state, or {@code before} if it keeps the state. */
    static Account after(Effect<Account> e, Account before) {
        return e.newState().orElse(before);
    }

    /** The messages {@code e} sends (the ledger has no timers). */
    static void forEachSend(Effect<Account> e, java.util.function.Consumer<Send> each) {
        for (Action a : e.actions()) {
            if (a instanceof Send s) {
                each.accept(s);
            }
        }
    }

    /** A handler context without a runtime: who the actor is and who sent the message. */
    static final class Context implements ActorContext<AccountMessage> {
        private final ActorRef<AccountMessage> self;
        private final Optional<ActorId> sender;

        Context(ActorRef<AccountMessage> self, Optional<ActorId> sender) {
            this.self = self;
            this.sender = sender;
        }

        @Override
        public ActorRef<AccountMessage> self() {
            return self;
        }

        @Override
        public MessageMetadata metadata() {
            return new MessageMetadata("-", sender, Optional.empty(), NOW, 1);
        }

        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public Set<String> timers() {
            return Set.of();
        }
    }
}
