package io.fifoactors.examples.ledger;

/**
 * Everything an account actor accepts. Deposits and transfers come from outside; credits and refunds are sent by
 * other accounts.
 */
public sealed interface AccountMessage {
    /** Opens the account; opening an open account changes nothing. */
    record Open() implements AccountMessage {
    }

    /** Money arriving from outside the ledger. */
    record Deposit(long amount) implements AccountMessage {
    }

    /**
     * Moves money to another account: debited here, credited there by a {@link Credit} message. With
     * {@code waitMillis > 0} a transfer that lacks funds waits that long for them (deferred) instead of being
     * rejected at once.
     */
    record Transfer(String transferId, String to, long amount, long waitMillis) implements AccountMessage {
    }

    /** The receiving half of a transfer. */
    record Credit(String transferId, String from, long amount) implements AccountMessage {
    }

    /** Gives a transfer's money back to its sender when the receiver refused the credit. */
    record Refund(String transferId, long amount) implements AccountMessage {
    }
}
