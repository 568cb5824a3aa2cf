package io.fifoactors.examples.ledger;

/**
 * An account's state. {@code deposited} counts money that entered the ledger here, so that the ledger-wide invariant
 * "balances plus money in flight equal deposits" can be checked from the states alone.
 *
 * @param open      whether the account accepts money
 * @param balance   never below zero
 * @param deposited total deposits applied
 */
public record Account(boolean open, long balance, long deposited) {
    public static final Account NEW = new Account(false, 0, 0);
}
