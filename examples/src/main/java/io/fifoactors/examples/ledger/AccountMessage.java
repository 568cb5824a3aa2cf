package io.fifoactors.examples.ledger;

import io.fifoactors.core.ActorRef;

import java.util.Objects;

/**
 * Everything an account actor accepts. Openings, deposits and transfers come from outside (the ledger's producer);
 * credits and refunds are sent by other accounts, and an account accepts them only from one (the runtime
 * authenticates senders, so a producer cannot fake a credit and make money out of nothing).
 *
 * <pre>{@code
 * ActorRef<AccountMessage> bob = Ledger.account("bob");
 * system.tell(Ledger.account("alice"), new Transfer("t-1", bob, 30, 0), "t-1");
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface AccountMessage {
    /** Opens the account; opening an open account changes nothing. */
    record Open() implements AccountMessage {
    }

    /** Money arriving from outside the ledger: the only way money enters it. */
    record Deposit(long amount) implements AccountMessage {
    }

    /**
     * Moves money to another account: debited here, credited there by a {@link Credit} this account sends. With
     * {@code waitMillis > 0} a transfer that lacks funds waits that long for them (deferred) instead of being rejected
     * at once.
     */
    record Transfer(String transferId, ActorRef<AccountMessage> to, long amount, long waitMillis)
            implements AccountMessage {
        public Transfer {
            // a message missing its receiver is malformed: refused when decoded (dead-lettered), not handled
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The receiving half of a transfer, sent by the debited account {@code from}: the reply address a {@link Refund}
     * goes back to when the credit cannot be applied.
     */
    record Credit(String transferId, ActorRef<AccountMessage> from, long amount) implements AccountMessage {
        public Credit {
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(from, "from");
        }
    }

    /** Gives a transfer's money back to its sender when the receiver could not take the credit. */
    record Refund(String transferId, long amount) implements AccountMessage {
        public Refund {
            Objects.requireNonNull(transferId, "transferId");
        }
    }
}
