package io.fifoactors.examples.ledger;

/**
 * A transaction as the ledger's producer sees it, before {@link Ledger#ingress} sends it to its account, with the
 * producer's id (the mailbox drops a retry with the same id within its deduplication window).
 *
 * <pre>{@code
 * Ledger.ingress(system).submit(List.of(new OpenTx("open-a", "a"), new DepositTx("dep-1", "a", 100),
 *         new TransferTx("t-1", "a", "b", 30, 0)));
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface LedgerTransaction {
    /** The producer's id of this transaction: 1 to 128 printable ASCII characters, unique. */
    String id();

    /** The key of the account the transaction is sent to. */
    String account();

    /** The account actor's message for this transaction. */
    AccountMessage toMessage();

    /** Open {@code account}. */
    record OpenTx(String id, String account) implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Open();
        }
    }

    /** Deposit {@code amount} into {@code account}. */
    record DepositTx(String id, String account, long amount) implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Deposit(amount);
        }
    }

    /** Transfer {@code amount} from {@code account} to the account {@code to}, waiting up to {@code waitMillis}. */
    record TransferTx(String id, String account, String to, long amount, long waitMillis)
            implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Transfer(id, Ledger.account(to), amount, waitMillis);
        }
    }
}
