package io.fifoactors.e2e;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

import java.util.Objects;
import java.util.Optional;

/**
 * A small ledger for the end-to-end tests (its own, so that the module does not depend on the examples): one actor
 * per account; a transfer debits its account (never below zero) and sends a {@link Credit} naming itself to the
 * receiver, which accepts it only from the account it names (the runtime authenticates the sender); a credit that
 * would overflow the receiver's balance is refused and refunded. Every sum is checked ({@link Math#addExact}).
 * Money enters only by a {@link Deposit}, so at rest the balances add up to the deposits.
 *
 * <p>Stateless and thread-safe: the handlers are pure functions of the state, the message and the context.
 */
final class TestLedger {
    static final String INSUFFICIENT_FUNDS = "insufficient funds";
    static final String OVERFLOW = "the balance would overflow";
    static final String NOT_POSITIVE = "amount must be positive";
    static final String SAME_ACCOUNT = "cannot transfer to the same account";
    static final String CREDIT_NOT_FROM_SENDER = "credit not sent by the account it names";
    static final String REFUND_NOT_FROM_ACCOUNT = "refund not sent by an account";

    private TestLedger() {
    }

    /**
     * An account: its balance (never below zero), the deposits applied here, and counts of what was applied.
     *
     * @param balance   the money held
     * @param deposited the sum of the deposits applied here
     * @param credited  the sum of the credits and refunds applied here
     * @param debited   the sum of the transfers applied here
     */
    record Account(long balance, long deposited, long credited, long debited) {
        static final Account NEW = new Account(0, 0, 0, 0);
    }

    sealed interface AccountMessage {
    }

    /** Money from outside the ledger: the only way money enters it. */
    record Deposit(long amount) implements AccountMessage {
    }

    /** Moves money to {@code to}: debited here, credited there by a {@link Credit} this account sends. */
    record Transfer(String transferId, ActorRef<AccountMessage> to, long amount) implements AccountMessage {
        Transfer {
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(to, "to");
        }
    }

    /** The receiving half of a transfer, sent by the account {@code from}. */
    record Credit(String transferId, ActorRef<AccountMessage> from, long amount) implements AccountMessage {
        Credit {
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(from, "from");
        }
    }

    /** A credit the receiver could not take, given back to the account that sent it. */
    record Refund(String transferId, long amount) implements AccountMessage {
        Refund {
            Objects.requireNonNull(transferId, "transferId");
        }
    }

    static final ActorType<Account, AccountMessage> ACCOUNT =
            ActorType.builder("account", Account.class, AccountMessage.class)
                    .initialState(id -> Account.NEW)
                    .on(Deposit.class, (a, d, ctx) -> deposit(a, d))
                    .on(Transfer.class, TestLedger::transfer)
                    .on(Credit.class, TestLedger::credit)
                    .on(Refund.class, TestLedger::refund)
                    .build();

    static ActorRef<AccountMessage> account(String key) {
        return ACCOUNT.ref(key);
    }

    private static Effect<Account> deposit(Account a, Deposit d) {
        if (d.amount() <= 0) {
            return Effect.reject(NOT_POSITIVE);
        }
        try {
            return Effect.persist(new Account(Math.addExact(a.balance(), d.amount()),
                    Math.addExact(a.deposited(), d.amount()), a.credited(), a.debited()));
        } catch (ArithmeticException overflow) {
            return Effect.reject(OVERFLOW);
        }
    }

    private static Effect<Account> transfer(Account a, Transfer t, ActorContext<AccountMessage> ctx) {
        if (t.amount() <= 0) {
            return Effect.reject(NOT_POSITIVE);
        }
        if (t.to().equals(ctx.self())) {
            return Effect.reject(SAME_ACCOUNT);
        }
        if (a.balance() < t.amount()) {
            return Effect.reject(INSUFFICIENT_FUNDS);
        }
        return Effect.persist(new Account(a.balance() - t.amount(), a.deposited(), a.credited(),
                        Math.addExact(a.debited(), t.amount())),
                t.to().tell(new Credit(t.transferId(), ctx.self(), t.amount())));
    }

    private static Effect<Account> credit(Account a, Credit c, ActorContext<AccountMessage> ctx) {
        if (!ctx.metadata().sender().filter(c.from().id()::equals).isPresent()) {
            return Effect.reject(CREDIT_NOT_FROM_SENDER);
        }
        if (c.amount() <= 0) {
            return Effect.reject(NOT_POSITIVE);
        }
        try {
            return Effect.persist(new Account(Math.addExact(a.balance(), c.amount()), a.deposited(),
                    Math.addExact(a.credited(), c.amount()), a.debited()));
        } catch (ArithmeticException overflow) {
            return Effect.reject(OVERFLOW, c.from().tell(new Refund(c.transferId(), c.amount())));
        }
    }

    private static Effect<Account> refund(Account a, Refund r, ActorContext<AccountMessage> ctx) {
        Optional<ActorId> sender = ctx.metadata().sender();
        if (sender.isEmpty() || !sender.get().type().equals(ACCOUNT.name())) {
            return Effect.reject(REFUND_NOT_FROM_ACCOUNT);
        }
        if (r.amount() <= 0) {
            return Effect.reject(NOT_POSITIVE);
        }
        // debited here and refused there: it must land (a refund fits, as the money left this balance)
        return Effect.persist(new Account(Math.addExact(a.balance(), r.amount()), a.deposited(),
                Math.addExact(a.credited(), r.amount()), a.debited()));
    }
}
