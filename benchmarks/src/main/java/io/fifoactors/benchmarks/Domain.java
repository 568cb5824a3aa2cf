package io.fifoactors.benchmarks;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.Effect;
import io.fifoactors.core.Handler;
import io.fifoactors.core.MessageMetadata;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * The ledger's domain logic for the alternatives (Pekko, the hand-rolled consumers): the very handler
 * {@link Ledger#ACCOUNT} runs, called with a plain context, so every contender decides exactly the same way.
 */
final class Domain {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Handler<Account, AccountMessage> HANDLER = Ledger.ACCOUNT.handler();

    private Domain() {
    }

    /** Runs the ledger's handler for account {@code key}. */
    static Effect<Account> decide(String key, Account state, AccountMessage message, String messageId) {
        try {
            return HANDLER.handle(state, message, new Context(Ledger.account(key), messageId));
        } catch (Exception e) {
            throw new IllegalStateException("the ledger handler failed", e);
        }
    }

    /** Runs the ledger's handler for an actor id already built. */
    static Effect<Account> decide(ActorId self, Account state, AccountMessage message, String messageId) {
        try {
            return HANDLER.handle(state, message, new Context(self, messageId));
        } catch (Exception e) {
            throw new IllegalStateException("the ledger handler failed", e);
        }
    }

    /** A handler context without a runtime: the ledger reads only {@code self()} (and metadata for deferrals). */
    static final class Context implements ActorContext {
        private final ActorId self;
        private final String messageId;

        Context(ActorId self, String messageId) {
            this.self = self;
            this.messageId = messageId;
        }

        @Override
        public ActorId self() {
            return self;
        }

        @Override
        public MessageMetadata metadata() {
            return new MessageMetadata(messageId, Optional.empty(), NOW, 1);
        }

        @Override
        public Instant now() {
            return NOW;
        }
    }
}
