package io.fifoactors.examples.ledger;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.OrderingRule;
import io.fifoactors.examples.ledger.AccountMessage.Credit;
import io.fifoactors.examples.ledger.AccountMessage.Deposit;
import io.fifoactors.examples.ledger.AccountMessage.Open;
import io.fifoactors.examples.ledger.AccountMessage.Refund;
import io.fifoactors.examples.ledger.AccountMessage.Transfer;

import java.time.Duration;
import java.util.List;

/**
 * The ledger: one actor per account. A transfer debits the sender (rejected, or deferred until funds arrive, when
 * the balance is short) and sends a {@link Credit} to the receiver; a receiver that is not open refuses the credit
 * and sends a {@link Refund} back, so money is never lost. A balance never goes below zero.
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder().register(Ledger.ACCOUNT)...build();
 * system.send(Ledger.account("alice"), new Deposit(100), "dep-1");
 * }</pre>
 */
public final class Ledger {
    /** The account actor type. */
    public static final ActorType<Account, AccountMessage> ACCOUNT =
            ActorType.builder("account", Account.class, AccountMessage.class)
                    .initialState(id -> Account.NEW)
                    .handler(Ledger::decide)
                    .stashCapacity(64)
                    .build();

    /** Ingress order within a batch: openings, then deposits, then transfers (each stable). */
    public static final OrderingRule<LedgerTransaction> INGRESS_ORDER = OrderingRule.byClass(List.of(
            LedgerTransaction.OpenTx.class, LedgerTransaction.DepositTx.class, LedgerTransaction.TransferTx.class));

    private Ledger() {
    }

    public static ActorId account(String key) {
        return ACCOUNT.id(key);
    }

    /** The ledger's ingress: ordered by {@link #INGRESS_ORDER}, routed by account, deduplicated by transaction id. */
    public static Ingress<LedgerTransaction> ingress(ActorSystem system) {
        return Ingress.builder(system, LedgerTransaction.class)
                .order(INGRESS_ORDER)
                .route(tx -> account(tx.account()))
                .message(LedgerTransaction::toMessage)
                .messageId(LedgerTransaction::id)
                .build();
    }

    static Effect<Account> decide(Account a, AccountMessage message, ActorContext ctx) {
        if (message instanceof Open) {
            return a.open() ? Effect.none() : Effect.persist(new Account(true, a.balance(), a.deposited()));
        }
        if (message instanceof Deposit d) {
            if (d.amount() <= 0) {
                return Effect.reject("deposit amount must be positive");
            }
            if (!a.open()) {
                return Effect.reject("account is not open");
            }
            return Effect.persist(new Account(true, a.balance() + d.amount(), a.deposited() + d.amount()));
        }
        if (message instanceof Transfer t) {
            return transfer(a, t, ctx);
        }
        if (message instanceof Credit c) {
            return a.open()
                    ? Effect.persist(new Account(true, a.balance() + c.amount(), a.deposited()))
                    : Effect.<Account>reject("account is not open; credit refunded")
                            .send(account(c.from()), new Refund(c.transferId(), c.amount()));
        }
        Refund r = (Refund) message;
        return Effect.persist(new Account(a.open(), a.balance() + r.amount(), a.deposited()));
    }

    private static Effect<Account> transfer(Account a, Transfer t, ActorContext ctx) {
        if (t.amount() <= 0) {
            return Effect.reject("transfer amount must be positive");
        }
        if (!a.open()) {
            return Effect.reject("account is not open");
        }
        if (t.to().equals(ctx.self().key())) {
            return Effect.reject("cannot transfer to the same account");
        }
        if (a.balance() >= t.amount()) {
            return Effect.persist(new Account(true, a.balance() - t.amount(), a.deposited()))
                    .send(account(t.to()), new Credit(t.transferId(), ctx.self().key(), t.amount()));
        }
        if (t.waitMillis() > 0) {
            return Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMillis(t.waitMillis())));
        }
        return Effect.reject("insufficient funds");
    }
}
