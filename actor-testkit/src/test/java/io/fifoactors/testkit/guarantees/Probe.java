package io.fifoactors.testkit.guarantees;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.inmemory.VirtualClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A test actor that records, in order, every message it applied: the probe for G1-G4, timers and deferrals. */
final class Probe {
    sealed interface Msg {
    }

    /** Record {@code tag}. */
    record Append(String tag) implements Msg {
    }

    /** Record {@code tag} and send it on to {@code to}. */
    record Forward(String tag, String to) implements Msg {
    }

    /** Sent by another probe. */
    record Forwarded(String tag, String from) implements Msg {
    }

    /** Fails on every receive: ends dead-lettered. */
    record Poison(String tag) implements Msg {
    }

    /** Fails until its receive count reaches {@code succeedOn}, then records {@code tag}. */
    record Flaky(String tag, int succeedOn) implements Msg {
    }

    /** Runs past the handler time limit on its first receive (moves the virtual clock), then records {@code tag}. */
    record Hang(String tag) implements Msg {
    }

    /** Records "set tag" and starts the timer {@code tag} to record "fired tag" after {@code delayMillis}. */
    record Later(String tag, long delayMillis) implements Msg {
    }

    /** What the timer {@code tag} delivers. */
    record Fire(String tag) implements Msg {
    }

    /** Records {@code tag} once "go" is recorded; deferred until then, for ten minutes at most. */
    record Wait(String tag) implements Msg {
    }

    /** Records "go" (and so releases waiting messages). */
    record Go() implements Msg {
    }

    record Log(List<String> entries) {
        Log plus(String e) {
            List<String> l = new ArrayList<>(entries);
            l.add(e);
            return new Log(List.copyOf(l));
        }
    }

    /** The virtual clock a {@link Hang} moves: the current try's simulation clock. */
    static volatile VirtualClock clock;

    static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(10);

    static final ActorType<Log, Msg> PROBE = ActorType.builder("probe", Log.class, Msg.class)
            .initialState(id -> new Log(List.of()))
            .handlerTimeout(HANDLER_TIMEOUT)
            .on(Append.class, (log, a, ctx) -> Effect.persist(log.plus(a.tag())))
            .on(Forward.class, (log, f, ctx) -> Effect.persist(log.plus(f.tag()),
                    Probe.PROBE.ref(f.to()).tell(new Forwarded(f.tag(), ctx.self().id().key()))))
            .on(Forwarded.class, (log, f, ctx) -> Effect.persist(log.plus("from " + f.from() + ": " + f.tag())))
            .on(Poison.class, (log, p, ctx) -> {
                throw new IllegalStateException("poison " + p.tag());
            })
            .on(Flaky.class, (log, f, ctx) -> {
                if (ctx.metadata().receiveCount() < f.succeedOn()) {
                    throw new IllegalStateException("flaky " + f.tag());
                }
                return Effect.persist(log.plus(f.tag()));
            })
            .on(Hang.class, (log, h, ctx) -> {
                VirtualClock c = clock;
                if (ctx.metadata().receiveCount() == 1 && c != null) {
                    c.advance(HANDLER_TIMEOUT.plusSeconds(1));
                }
                return Effect.persist(log.plus(h.tag()));
            })
            .on(Later.class, (log, l, ctx) -> Effect.persist(log.plus("set " + l.tag()),
                    ctx.startTimer(l.tag(), Duration.ofMillis(l.delayMillis()), new Fire(l.tag()))))
            .on(Fire.class, (log, f, ctx) -> Effect.persist(log.plus("fired " + f.tag())))
            .on(Wait.class, (log, w, ctx) -> log.entries().contains("go")
                    ? Effect.persist(log.plus(w.tag()))
                    : Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMinutes(10))))
            .on(Go.class, (log, g, ctx) -> Effect.persist(log.plus("go")))
            .build();

    private Probe() {
    }
}
