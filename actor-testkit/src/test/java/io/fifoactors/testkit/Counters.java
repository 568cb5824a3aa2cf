package io.fifoactors.testkit;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A tiny counter actor (and an audit actor it reports to) for the kit's own tests. */
final class Counters {
    private Counters() {
    }

    record Counter(int value) {
    }

    sealed interface CounterMsg permits Add, Take, AwaitAtLeast, Transfer, Announce, Echo, Explode, Countdown {
    }

    /** Adds; throws while the counter is "broken" (a bug that a later deployment fixes). */
    record Add(int amount) implements CounterMsg {
    }

    /** Takes; rejected with "not enough" if the value is too small. */
    record Take(int amount) implements CounterMsg {
    }

    /** Waits (deferred for five minutes) until the value reaches the threshold, then takes it. */
    record AwaitAtLeast(int threshold) implements CounterMsg {
    }

    /** Moves an amount to another counter. */
    record Transfer(String toKey, int amount) implements CounterMsg {
    }

    /** Tells the audit actor the current value. */
    record Announce() implements CounterMsg {
    }

    /** Sends Add(amount) back to the sending actor; rejected with "no sender" from outside. */
    record Echo(int amount) implements CounterMsg {
    }

    /** Always throws. */
    record Explode() implements CounterMsg {
    }

    /** Adds one and, while n > 0, sends Countdown(n - 1) to itself. */
    record Countdown(int n) implements CounterMsg {
    }

    static final Duration PATIENCE = Duration.ofMinutes(5);

    static ActorType<Counter, CounterMsg> counter(PoisonPolicy policy, AtomicBoolean broken) {
        return ActorType.builder("counter", Counter.class, CounterMsg.class)
                .initialState(id -> new Counter(0))
                .poisonPolicy(policy)
                .handler((c, msg, ctx) -> decide(c, msg, ctx, broken))
                .build();
    }

    static Effect<Counter> decide(Counter c, CounterMsg msg, ActorContext ctx, AtomicBoolean broken) {
        if (msg instanceof Add a) {
            if (broken.get()) {
                throw new IllegalStateException("counter is broken");
            }
            return Effect.persist(new Counter(c.value() + a.amount()));
        }
        if (msg instanceof Take t) {
            return c.value() >= t.amount() ? Effect.persist(new Counter(c.value() - t.amount()))
                    : Effect.reject("not enough");
        }
        if (msg instanceof AwaitAtLeast w) {
            return c.value() >= w.threshold() ? Effect.persist(new Counter(c.value() - w.threshold()))
                    : Effect.defer(ctx.now().plus(PATIENCE));
        }
        if (msg instanceof Transfer t) {
            return c.value() >= t.amount()
                    ? Effect.persist(new Counter(c.value() - t.amount()))
                            .send(ActorId.of("counter", t.toKey()), new Add(t.amount()))
                    : Effect.reject("not enough");
        }
        if (msg instanceof Announce) {
            return Effect.<Counter>none().send(AUDIT.id("log"), new Announced(c.value()));
        }
        if (msg instanceof Echo e) {
            return ctx.metadata().sender()
                    .map(from -> Effect.<Counter>none().send(from, new Add(e.amount())))
                    .orElseGet(() -> Effect.reject("no sender"));
        }
        if (msg instanceof Countdown d) {
            Effect<Counter> next = Effect.persist(new Counter(c.value() + 1));
            return d.n() > 0 ? next.send(ctx.self(), new Countdown(d.n() - 1)) : next;
        }
        throw new IllegalArgumentException("boom"); // Explode
    }

    static final ActorType<Counter, CounterMsg> COUNTER = counter(PoisonPolicy.DEAD_LETTER, new AtomicBoolean());

    record AuditLog(List<Integer> values) {
    }

    sealed interface AuditMsg permits Announced {
    }

    record Announced(int value) implements AuditMsg {
    }

    static final ActorType<AuditLog, AuditMsg> AUDIT = ActorType.builder("audit", AuditLog.class, AuditMsg.class)
            .initialState(id -> new AuditLog(List.of()))
            .handler((log, msg, ctx) -> {
                List<Integer> values = new ArrayList<>(log.values());
                values.add(((Announced) msg).value());
                return Effect.persist(new AuditLog(List.copyOf(values)));
            })
            .build();
}
