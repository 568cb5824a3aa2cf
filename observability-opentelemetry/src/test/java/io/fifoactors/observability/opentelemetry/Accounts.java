package io.fifoactors.observability.opentelemetry;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.opentelemetry.api.trace.Span;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A ledger-like account for the tests: deposits, transfers that credit another account, and a poison message. */
final class Accounts {
    sealed interface Cmd {
    }

    record Deposit(long amount) implements Cmd {
    }

    /** Debits this account and credits {@code to}, or is rejected for insufficient funds. */
    record Transfer(String to, long amount) implements Cmd {
    }

    record Credit(String from, long amount) implements Cmd {
    }

    /** The handler fails on it, always. */
    record Poison() implements Cmd {
    }

    record Balance(long amount) {
    }

    /** The span id current while each handler ran, as "key spanId", in order. */
    static final List<String> CURRENT_SPANS = new CopyOnWriteArrayList<>();

    private static Balance seen(Balance b, String key) {
        CURRENT_SPANS.add(key + " " + Span.current().getSpanContext().getSpanId());
        return b;
    }

    static final ActorType<Balance, Cmd> ACCOUNT = ActorType.builder("account", Balance.class, Cmd.class)
            .initialState(id -> new Balance(0))
            .on(Deposit.class, (b, d, ctx) -> Effect.persist(new Balance(seen(b, ctx.self().id().key()).amount()
                    + d.amount())))
            .on(Transfer.class, (b, t, ctx) -> {
                seen(b, ctx.self().id().key());
                if (b.amount() < t.amount()) {
                    return Effect.reject("insufficient funds: " + b.amount() + " < " + t.amount());
                }
                return Effect.persist(new Balance(b.amount() - t.amount()),
                        Accounts.ACCOUNT.ref(t.to()).tell(new Credit(ctx.self().id().key(), t.amount())));
            })
            .on(Credit.class, (b, c, ctx) -> Effect.persist(new Balance(seen(b, ctx.self().id().key()).amount()
                    + c.amount())))
            .on(Poison.class, (b, p, ctx) -> {
                throw new IllegalStateException("poison");
            })
            .build();

    private Accounts() {
    }
}
