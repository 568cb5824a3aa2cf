package io.fifoactors.benchmarks;

import io.fifoactors.core.Action;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.Send;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * One ledger operation on one account: open, deposit, transfer (peer: the receiver), credit (peer: the payer)
     * or refund (peer: the account that gave it back).
     */
    record Op(String account, String op, String peer, long amount, String transferId) {
    }

    static final ActorType<State, Op> TYPE = ActorType.builder("bank", State.class, Op.class)
            .initialState(id -> new State(new TreeMap<>()))
            .on(Op.class, (state, op, ctx) -> handle(state, op, ctx.self()))
            .build();

    static final ActorRef<Op> ALL = TYPE.ref("all");

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

    private static Effect<State> handle(State state, Op op, ActorRef<Op> self) {
        Optional<ActorId> sender = Optional.empty();
        AccountMessage message = switch (op.op()) {
            case "open" -> new AccountMessage.Open();
            case "deposit" -> new AccountMessage.Deposit(op.amount());
            case "transfer" -> new AccountMessage.Transfer(op.transferId(), Ledger.account(op.peer()), op.amount(), 0);
            case "credit" -> new AccountMessage.Credit(op.transferId(), Ledger.account(op.peer()), op.amount());
            case "refund" -> new AccountMessage.Refund(op.transferId(), op.amount());
            default -> throw new IllegalArgumentException("unknown op " + op.op());
        };
        if (op.peer() != null && (op.op().equals("credit") || op.op().equals("refund"))) {
            sender = Optional.of(Ledger.account(op.peer()).id());
        }
        Account before = state.accounts().getOrDefault(op.account(), Account.NEW);
        Effect<Account> e = Domain.decide(Ledger.account(op.account()), sender, before, message);
        List<Action> actions = new ArrayList<>();
        for (Action a : e.actions()) {
            if (a instanceof Send s && s.message() instanceof AccountMessage.Credit c) {
                actions.add(self.tell(new Op(s.target().key(), "credit", op.account(), c.amount(), c.transferId())));
            } else if (a instanceof Send s && s.message() instanceof AccountMessage.Refund r) {
                actions.add(self.tell(new Op(s.target().key(), "refund", op.account(), r.amount(), r.transferId())));
            }
        }
        if (e.deferUntil().isPresent()) {
            return Effect.defer(e.deferUntil().get());
        }
        if (e.newState().isPresent()) {
            Map<String, Account> next = new TreeMap<>(state.accounts());
            next.put(op.account(), e.newState().get());
            State s = new State(next);
            return e.rejection().isPresent()
                    ? Effect.persistAndReject(s, e.rejection().get(), actions.toArray(new Action[0]))
                    : Effect.persist(s, actions);
        }
        return e.rejection().isPresent() ? Effect.reject(e.rejection().get(), actions) : Effect.none(actions);
    }
}
