package io.fifoactors.examples.ledger;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
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
import java.util.Optional;

/**
 * The ledger: one actor per account. A transfer debits the sender (rejected, or deferred until funds arrive, when
 * the balance is short) and sends a {@link Credit} carrying the sender's reference to the receiver; a receiver that
 * cannot take the credit (not open, or its balance would overflow) refuses it and sends a {@link Refund} back to that
 * reference, so money is never lost.
 *
 * <p>The invariants (G5), which the property tests check under faults:
 * <ul>
 *   <li>no balance below zero (a debit needs the funds);</li>
 *   <li>no overflow: every amount is added with {@link Math#addExact}; a deposit that would overflow is rejected with
 *       {@link #DEPOSIT_TOO_LARGE}, a credit that would is refunded ({@link #CREDIT_TOO_LARGE}), and a refund that
 *       would is kept in the account's suspense (see {@link Account}), never dropped;</li>
 *   <li>money is conserved: balances + suspense + money in flight (credits and refunds sent, not yet applied)
 *       = deposits; money enters only by a {@link Deposit}, as credits and refunds are accepted only from
 *       accounts;</li>
 *   <li>every deposit is applied once (the runtime's G2: a redelivered or re-sent message is recognised).</li>
 * </ul>
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder().register(Ledger.ACCOUNT)...build();
 * system.tell(Ledger.account("alice"), new Deposit(100), "dep-1");
 * Ledger.ingress(system).submit(List.of(new OpenTx("open-bob", "bob"), new DepositTx("dep-2", "bob", 5)));
 * }</pre>
 *
 * <p>Stateless and thread-safe: the handlers are pure functions of the state, the message and the context.
 */
public final class Ledger {
    /** The longest a transfer may wait for funds. */
    public static final Duration MAX_WAIT = Duration.ofDays(1);

    // Rejection reasons: kept with the actor (ActorSnapshot.recentRejections) for people to read; words, never
    // amounts or other payload, so that a record holds no customer data; at most 64 characters, which is all a
    // record keeps of a reason.
    public static final String NOT_OPEN = "account is not open";
    public static final String DEPOSIT_NOT_POSITIVE = "deposit amount must be positive";
    public static final String DEPOSIT_TOO_LARGE = "deposit too large: balance or deposited total would overflow";
    public static final String TRANSFER_NOT_POSITIVE = "transfer amount must be positive";
    public static final String WAIT_OUT_OF_RANGE = "wait must be between 0 and " + MAX_WAIT.toMillis() + " ms";
    public static final String SAME_ACCOUNT = "cannot transfer to the same account";
    public static final String NOT_AN_ACCOUNT = "the receiver is not an account";
    public static final String INSUFFICIENT_FUNDS = "insufficient funds";
    public static final String CREDIT_NOT_FROM_SENDER = "credit not sent by the account it names";
    public static final String CREDIT_NOT_POSITIVE = "credit amount must be positive";
    public static final String NOT_OPEN_REFUNDED = "account is not open; credit refunded";
    public static final String CREDIT_TOO_LARGE = "credit too large: the balance would overflow; credit refunded";
    public static final String REFUND_NOT_FROM_ACCOUNT = "refund not sent by an account";
    public static final String REFUND_NOT_POSITIVE = "refund amount must be positive";

    /** The account actor type. */
    public static final ActorType<Account, AccountMessage> ACCOUNT =
            ActorType.builder("account", Account.class, AccountMessage.class)
                    .initialState(id -> Account.NEW)
                    .on(Open.class, (a, open, ctx) -> a.open() ? Effect.none() : Effect.persist(a.asOpen()))
                    .on(Deposit.class, (a, d, ctx) -> deposit(a, d))
                    .on(Transfer.class, Ledger::transfer)
                    .on(Credit.class, Ledger::credit)
                    .on(Refund.class, Ledger::refund)
                    .stashCapacity(64)
                    .build();

    /** Ingress order within a batch: openings, then deposits, then transfers (each stable). */
    public static final OrderingRule<LedgerTransaction> INGRESS_ORDER = OrderingRule.byClass(List.of(
            LedgerTransaction.OpenTx.class, LedgerTransaction.DepositTx.class, LedgerTransaction.TransferTx.class));

    private Ledger() {
    }

    /** The account with this key. */
    public static ActorRef<AccountMessage> account(String key) {
        return ACCOUNT.ref(key);
    }

    /** The ledger's ingress: ordered by {@link #INGRESS_ORDER}, sent to each transaction's account, deduplicated by id. */
    public static Ingress<LedgerTransaction> ingress(ActorSystem system) {
        return Ingress.builder(system, LedgerTransaction.class)
                .order(INGRESS_ORDER)
                .send(tx -> account(tx.account()).tell(tx.toMessage()))
                .messageId(LedgerTransaction::id)
                .build();
    }

    private static Effect<Account> deposit(Account a, Deposit d) {
        if (d.amount() <= 0) {
            return Effect.reject(DEPOSIT_NOT_POSITIVE);
        }
        if (!a.open()) {
            return Effect.reject(NOT_OPEN);
        }
        try {
            return Effect.persist(a.deposit(d.amount()));
        } catch (ArithmeticException overflow) {
            return Effect.reject(DEPOSIT_TOO_LARGE);
        }
    }

    private static Effect<Account> transfer(Account a, Transfer t, ActorContext<AccountMessage> ctx) {
        if (t.amount() <= 0) {
            return Effect.reject(TRANSFER_NOT_POSITIVE);
        }
        if (t.waitMillis() < 0 || t.waitMillis() > MAX_WAIT.toMillis()) {
            return Effect.reject(WAIT_OUT_OF_RANGE);
        }
        if (!a.open()) {
            return Effect.reject(NOT_OPEN);
        }
        if (t.to().equals(ctx.self())) {
            return Effect.reject(SAME_ACCOUNT);
        }
        if (!t.to().id().type().equals(ACCOUNT.name())) {
            // a reference read from the wire may name any actor; sending it a Credit would fail at every attempt
            return Effect.reject(NOT_AN_ACCOUNT);
        }
        if (a.balance() >= t.amount()) {
            return Effect.persist(a.debit(t.amount()),
                    t.to().tell(new Credit(t.transferId(), ctx.self(), t.amount())));
        }
        if (t.waitMillis() > 0) {
            // from the enqueue time, not now: a redelivered transfer keeps the deadline it was given
            return Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMillis(t.waitMillis())));
        }
        return Effect.reject(INSUFFICIENT_FUNDS);
    }

    private static Effect<Account> credit(Account a, Credit c, ActorContext<AccountMessage> ctx) {
        if (!sentBy(ctx, c.from().id())) {
            // not the debited account's own message: nothing was taken anywhere, so nothing is refunded
            return Effect.reject(CREDIT_NOT_FROM_SENDER);
        }
        if (c.amount() <= 0) {
            return Effect.reject(CREDIT_NOT_POSITIVE);
        }
        Refund refund = new Refund(c.transferId(), c.amount());
        if (!a.open()) {
            return Effect.reject(NOT_OPEN_REFUNDED, c.from().tell(refund));
        }
        try {
            return Effect.persist(a.credit(c.amount()));
        } catch (ArithmeticException overflow) {
            return Effect.reject(CREDIT_TOO_LARGE, c.from().tell(refund));
        }
    }

    private static Effect<Account> refund(Account a, Refund r, ActorContext<AccountMessage> ctx) {
        Optional<ActorId> sender = ctx.metadata().sender();
        if (sender.isEmpty() || !sender.get().type().equals(ACCOUNT.name())) {
            return Effect.reject(REFUND_NOT_FROM_ACCOUNT);
        }
        if (r.amount() <= 0) {
            return Effect.reject(REFUND_NOT_POSITIVE);
        }
        // the money was debited here and refused there: it must land somewhere, so a refund is never rejected for
        // size (Account.refund keeps what the balance cannot hold in suspense)
        return Effect.persist(a.refund(r.amount()));
    }

    private static boolean sentBy(ActorContext<AccountMessage> ctx, ActorId account) {
        return ctx.metadata().sender().filter(account::equals).isPresent();
    }
}
