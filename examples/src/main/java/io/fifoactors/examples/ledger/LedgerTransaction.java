package io.fifoactors.examples.ledger;

/** A transaction as the ledger's producer sees it, before ingress routes it to an account. */
public sealed interface LedgerTransaction {
    String id();

    /** The account the transaction is routed to. */
    String account();

    /** The account actor's message for this transaction. */
    AccountMessage toMessage();

    record OpenTx(String id, String account) implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Open();
        }
    }

    record DepositTx(String id, String account, long amount) implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Deposit(amount);
        }
    }

    record TransferTx(String id, String account, String to, long amount, long waitMillis)
            implements LedgerTransaction {
        @Override
        public AccountMessage toMessage() {
            return new AccountMessage.Transfer(id, to, amount, waitMillis);
        }
    }
}
