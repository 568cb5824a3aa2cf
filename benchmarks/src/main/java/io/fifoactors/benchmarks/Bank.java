package io.fifoactors.benchmarks;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.LedgerTransaction;

import java.util.Map;
import java.util.TreeMap;

/**
 * The single-group design on this runtime, for B3: one actor ("bank/all", hence one message group) holds every
 * account and runs the ledger's handler per account; a transfer's credit is a message to the same group. This is the
 * best case of "one group for everything" (the runtime still folds each batch into one conditional write); the naive
 * hand-rolled version, with a read and a write per message, is slower still (see {@code AwsRequests}).
 *
 * <p>The state is one item: it must stay under the store's 400 KB item limit, which bounds the accounts it can hold
 * to a few thousand.
 */
final class Bank {
    /** All accounts, by key. */
    record State(Map<String, Account> accounts) {
    }

    /** One ledger operation on one account: open, deposit, transfer or credit. */
    record Op(String account, String op, String to, long amount, String transferId) {
    }

    static final ActorType<State, Op> TYPE = ActorType.builder("bank", State.class, Op.class)
            .initialState(id -> new State(new TreeMap<>()))
            .handler((state, op, ctx) -> handle(state, op))
            .build();

    static final ActorId ALL = TYPE.id("all");

    private Bank() {
    }

    static Op op(LedgerTransaction tx) {
        if (tx instanceof LedgerTransaction.OpenTx o) {
            return new Op(o.account(), "open", null, 0, null);
        }
        if (tx instanceof LedgerTransaction.DepositTx d) {
            return new Op(d.account(), "deposit", null, d.amount(), null);
        }
        LedgerTransaction.TransferTx t = (LedgerTransaction.TransferTx) tx;
        return new Op(t.account(), "transfer", t.to(), t.amount(), t.id());
    }

    private static Effect<State> handle(State state, Op op) {
        AccountMessage message = switch (op.op()) {
            case "open" -> new AccountMessage.Open();
            case "deposit" -> new AccountMessage.Deposit(op.amount());
            case "transfer" -> new AccountMessage.Transfer(op.transferId(), op.to(), op.amount(), 0);
            case "credit" -> new AccountMessage.Credit(op.transferId(), op.to(), op.amount());
            case "refund" -> new AccountMessage.Refund(op.transferId(), op.amount());
            default -> throw new IllegalArgumentException("unknown op " + op.op());
        };
        Account before = state.accounts().getOrDefault(op.account(), Account.NEW);
        Effect<Account> e = Domain.decide(op.account(), before, message, "");
        Effect<State> out = switch (e.kind()) {
            case PERSIST -> {
                Map<String, Account> next = new TreeMap<>(state.accounts());
                next.put(op.account(), e.state());
                yield Effect.persist(new State(next));
            }
            case NONE -> Effect.none();
            case REJECT -> Effect.reject(e.reason());
            case DEFER -> Effect.defer(e.deadline());
        };
        for (Effect.Send s : e.sends()) {
            if (s.message() instanceof AccountMessage.Credit c) {
                // the credit's receiver is the target account; "to" carries the payer, as in Credit.from
                out = out.send(ALL, new Op(s.target().key(), "credit", c.from(), c.amount(), c.transferId()));
            } else if (s.message() instanceof AccountMessage.Refund r) {
                out = out.send(ALL, new Op(s.target().key(), "refund", null, r.amount(), r.transferId()));
            }
        }
        return out;
    }
}
