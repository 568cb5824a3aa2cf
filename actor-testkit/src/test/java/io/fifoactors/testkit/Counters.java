package io.fifoactors.testkit;

import io.fifoactors.core.ActorRef;
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

    sealed interface CounterMsg {
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
    record Transfer(ActorRef<CounterMsg> to, int amount) implements CounterMsg {
    }

    /** Tells the audit actor the current value. */
    record Announce() implements CounterMsg {
    }

    /** Sends Add(amount) to the reply address. */
    record Echo(int amount, ActorRef<CounterMsg> replyTo) implements CounterMsg {
    }

    /** Always throws. */
    record Explode() implements CounterMsg {
    }

    /** Adds one and, while n > 0, sends Countdown(n - 1) to itself. */
    record Countdown(int n) implements CounterMsg {
    }

    /** Starts a timer that adds {@code amount} after {@code delay}. */
    record AddLater(String key, Duration delay, int amount) implements CounterMsg {
    }

    static final Duration PATIENCE = Duration.ofMinutes(5);

    static ActorType<Counter, CounterMsg> counter(PoisonPolicy policy, AtomicBoolean broken) {
        return ActorType.builder("counter", Counter.class, CounterMsg.class)
                .initialState(id -> new Counter(0))
                .poisonPolicy(policy)
                .on(Add.class, (c, a, ctx) -> {
                    if (broken.get()) {
                        throw new IllegalStateException("counter is broken");
                    }
                    return Effect.persist(new Counter(c.value() + a.amount()));
                })
                .on(Take.class, (c, t, ctx) -> c.value() >= t.amount()
                        ? Effect.persist(new Counter(c.value() - t.amount())) : Effect.reject("not enough"))
                .on(AwaitAtLeast.class, (c, w, ctx) -> c.value() >= w.threshold()
                        ? Effect.persist(new Counter(c.value() - w.threshold()))
                        : Effect.defer(ctx.metadata().enqueuedAt().plus(PATIENCE)))
                .on(Transfer.class, (c, t, ctx) -> c.value() >= t.amount()
                        ? Effect.persist(new Counter(c.value() - t.amount()), t.to().tell(new Add(t.amount())))
                        : Effect.reject("not enough"))
                .on(Announce.class, (c, a, ctx) -> Effect.none(AUDIT.ref("log").tell(new Announced(c.value()))))
                .on(Echo.class, (c, e, ctx) -> Effect.none(e.replyTo().tell(new Add(e.amount()))))
                .on(Explode.class, (c, e, ctx) -> {
                    throw new IllegalArgumentException("boom");
                })
                .on(Countdown.class, (c, d, ctx) -> d.n() > 0
                        ? Effect.persist(new Counter(c.value() + 1), ctx.self().tell(new Countdown(d.n() - 1)))
                        : Effect.persist(new Counter(c.value() + 1)))
                .on(AddLater.class, (c, l, ctx) -> Effect.none(ctx.startTimer(l.key(), l.delay(), new Add(l.amount()))))
                .build();
    }

    static final ActorType<Counter, CounterMsg> COUNTER = counter(PoisonPolicy.DEAD_LETTER, new AtomicBoolean());

    record AuditLog(List<Integer> values) {
    }

    sealed interface AuditMsg {
    }

    record Announced(int value) implements AuditMsg {
    }

    static final ActorType<AuditLog, AuditMsg> AUDIT = ActorType.builder("audit", AuditLog.class, AuditMsg.class)
            .initialState(id -> new AuditLog(List.of()))
            .on(Announced.class, (log, a, ctx) -> {
                List<Integer> values = new ArrayList<>(log.values());
                values.add(a.value());
                return Effect.persist(new AuditLog(List.copyOf(values)));
            })
            .build();
}
