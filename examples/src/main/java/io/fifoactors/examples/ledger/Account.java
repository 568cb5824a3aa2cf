package io.fifoactors.examples.ledger;

/**
 * An account's state. {@code deposited} counts the money that entered the ledger here, so that the ledger-wide
 * invariant "balances + suspense + money in flight = deposits" can be checked from the states alone.
 *
 * <p>{@code suspense} is money the account owns but cannot hold in its balance: a {@link AccountMessage.Refund} that
 * arrives when the balance is so close to {@code Long.MAX_VALUE} that adding it would overflow. Refusing it would
 * leave the money nowhere (the receiver already gave it back), so it is kept apart and moved into the balance as
 * soon as a transfer out makes room ({@link #debit}). Every other amount that does not fit is refused before it
 * moves (a deposit is rejected, a credit is refunded).
 *
 * <pre>{@code
 * Account a = Account.opened(100, 100);   // open, balance 100, 100 deposited, nothing in suspense
 * a.debit(30).balance();                  // 70
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param open      whether the account accepts deposits and credits
 * @param balance   never below zero
 * @param deposited total deposits applied here
 * @param suspense  refunds kept apart because the balance could not hold them (almost always 0)
 */
public record Account(boolean open, long balance, long deposited, long suspense) {
    /** A closed, empty account: the initial state. */
    public static final Account NEW = new Account(false, 0, 0, 0);

    /** An open account with nothing in suspense. */
    public static Account opened(long balance, long deposited) {
        return new Account(true, balance, deposited, 0);
    }

    /** This account, opened. */
    Account asOpen() {
        return new Account(true, balance, deposited, suspense);
    }

    /**
     * This account with {@code amount} deposited; throws {@link ArithmeticException} if the balance or the deposited
     * total would overflow.
     */
    Account deposit(long amount) {
        return new Account(open, Math.addExact(balance, amount), Math.addExact(deposited, amount), suspense);
    }

    /** This account with {@code amount} added to the balance; throws {@link ArithmeticException} on overflow. */
    Account credit(long amount) {
        return new Account(open, Math.addExact(balance, amount), deposited, suspense);
    }

    /**
     * This account with {@code amount} refunded: into the balance, or into suspense if the balance cannot hold it.
     * Throws {@link ArithmeticException} only if the suspense itself would overflow (more than {@code Long.MAX_VALUE}
     * in refunds that did not fit).
     */
    Account refund(long amount) {
        try {
            return credit(amount);
        } catch (ArithmeticException balanceFull) {
            return new Account(open, balance, deposited, Math.addExact(suspense, amount));
        }
    }

    /**
     * This account with {@code amount} (at most the balance) taken out, and as much of the suspense as now fits moved
     * into the balance.
     */
    Account debit(long amount) {
        long rest = balance - amount; // amount <= balance: no overflow, never below zero
        long posted = Math.min(suspense, Long.MAX_VALUE - rest);
        return new Account(open, rest + posted, deposited, suspense - posted);
    }
}
