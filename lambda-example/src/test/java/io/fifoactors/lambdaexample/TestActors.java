package io.fifoactors.lambdaexample;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

/**
 * Actors of the packaging and end-to-end tests, copied into a task root beside the packaged function with
 * {@link TestWiring}: a small ledger (money moves between accounts by actor-to-actor messages, so the scenario checks
 * G1-G5 as the examples' ledger did; TODO: the examples' ledger replaces it once it is on the typed API) and a faulty
 * actor whose handler throws on demand.
 */
public final class TestActors {
    private TestActors() {
    }

    /** An account: open or not, its balance and all it was ever given by deposits. */
    public record Account(boolean open, long balance, long deposited) {
        public static final Account NEW = new Account(false, 0, 0);
    }

    /** The account's messages. */
    public sealed interface AccountMessage {
        record Open() implements AccountMessage {
        }

        record Deposit(long amount) implements AccountMessage {
        }

        /** Debit this account and credit {@code to}, or reject for want of funds. */
        record Transfer(String to, long amount) implements AccountMessage {
        }

        /** Sent by the debited account; refused (and refunded) by an account that is not open. */
        record Credit(long amount) implements AccountMessage {
        }

        record Refund(long amount) implements AccountMessage {
        }
    }

    public static final ActorType<Account, AccountMessage> ACCOUNT =
            ActorType.builder("account", Account.class, AccountMessage.class)
                    .initialState(id -> Account.NEW)
                    .on(AccountMessage.Open.class, (a, m, ctx) -> a.open() ? Effect.none()
                            : Effect.persist(new Account(true, a.balance(), a.deposited())))
                    .on(AccountMessage.Deposit.class, (a, d, ctx) -> !a.open() || d.amount() <= 0
                            ? Effect.reject("not open or not positive")
                            : Effect.persist(new Account(true, a.balance() + d.amount(), a.deposited() + d.amount())))
                    .on(AccountMessage.Transfer.class, TestActors::transfer)
                    .on(AccountMessage.Credit.class, TestActors::credit)
                    .on(AccountMessage.Refund.class, (a, r, ctx) -> fromAccount(ctx)
                            ? Effect.persist(new Account(a.open(), a.balance() + r.amount(), a.deposited()))
                            : Effect.reject("refund not from an account"))
                    .build();

    public static ActorRef<AccountMessage> account(String key) {
        return ACCOUNT.ref(key);
    }

    private static Effect<Account> transfer(Account a, AccountMessage.Transfer t,
                                            ActorContext<AccountMessage> ctx) {
        if (!a.open() || t.amount() <= 0 || t.to().equals(ctx.self().id().key())) {
            return Effect.reject("not open, not positive or to itself");
        }
        if (a.balance() < t.amount()) {
            return Effect.reject("insufficient funds");
        }
        return Effect.persist(new Account(true, a.balance() - t.amount(), a.deposited()),
                account(t.to()).tell(new AccountMessage.Credit(t.amount())));
    }

    private static Effect<Account> credit(Account a, AccountMessage.Credit c, ActorContext<AccountMessage> ctx) {
        if (!fromAccount(ctx)) {
            return Effect.reject("credit not from an account");
        }
        ActorId from = ctx.metadata().sender().orElseThrow();
        if (!a.open()) {
            return Effect.reject("not open; credit refunded",
                    account(from.key()).tell(new AccountMessage.Refund(c.amount())));
        }
        return Effect.persist(new Account(true, a.balance() + c.amount(), a.deposited()));
    }

    private static boolean fromAccount(ActorContext<AccountMessage> ctx) {
        return ctx.metadata().sender().filter(s -> s.type().equals(ACCOUNT.name())).isPresent();
    }

    /** The faulty actor's state: how many messages it applied. */
    public record Count(long n) {
    }

    /** The faulty actor's messages. */
    public sealed interface FaultyMessage {
        /** Applied. */
        record Ok() implements FaultyMessage {
        }

        /** The handler throws an exception. */
        record Boom() implements FaultyMessage {
        }

        /** The handler throws an InternalError (a VirtualMachineError). */
        record Fatal() implements FaultyMessage {
        }
    }

    public static final ActorType<Count, FaultyMessage> FAULTY =
            ActorType.builder("faulty", Count.class, FaultyMessage.class)
                    .initialState(id -> new Count(0))
                    .on(FaultyMessage.Ok.class, (c, m, ctx) -> Effect.persist(new Count(c.n() + 1)))
                    .on(FaultyMessage.Boom.class, (c, m, ctx) -> {
                        throw new IllegalStateException("boom");
                    })
                    .on(FaultyMessage.Fatal.class, (c, m, ctx) -> {
                        throw new InternalError("simulated VM error");
                    })
                    .build();
}
