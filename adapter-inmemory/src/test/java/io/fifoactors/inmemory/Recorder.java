package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.PoisonPolicy;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;

/** A test actor that records, in order, every message it applied: the probe for G1-G4. */
final class Recorder {
    sealed interface Msg {
    }

    /** Record {@code tag} here. */
    record Append(String tag) implements Msg {
    }

    /** Record {@code tag} here and send it on to {@code to}. */
    record Forward(String tag, String to) implements Msg {
    }

    /** Sent by another recorder. */
    record Forwarded(String tag, String from) implements Msg {
    }

    /** Fails on every receive: ends dead-lettered (or parked). */
    record Poison(String tag) implements Msg {
    }

    /** Fails until its receive count reaches {@code succeedOn}, then records {@code tag}. */
    record Flaky(String tag, int succeedOn) implements Msg {
    }

    record Log(List<String> entries) {
        Log plus(String e) {
            List<String> l = new ArrayList<>(entries);
            l.add(e);
            return new Log(List.copyOf(l));
        }
    }

    /** Hangs (moves the test's virtual clock by {@code millis}) on its first receive, then records {@code tag}. */
    record Hang(String tag, long millis) implements Msg {
    }

    /** The virtual clock a {@link Hang} moves; set by the test that sends one. */
    static volatile VirtualClock hangClock;

    /** Handler time limit of the recorder types. */
    static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(10);

    static ActorType<Log, Msg> type(String name, PoisonPolicy policy) {
        return ActorType.builder(name, Log.class, Msg.class)
                .initialState(id -> new Log(List.of()))
                .poisonPolicy(policy)
                .handlerTimeout(HANDLER_TIMEOUT)
                .on(Append.class, (log, a, ctx) -> Effect.persist(log.plus(a.tag())))
                .on(Forward.class, (log, f, ctx) -> Effect.persist(log.plus(f.tag()),
                        ActorRef.<Msg>unchecked(ActorId.of(name, f.to())).tell(new Forwarded(f.tag(), ctx.self().id().key()))))
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
                    if (ctx.metadata().receiveCount() == 1 && hangClock != null) {
                        hangClock.advance(Duration.ofMillis(h.millis()));
                    }
                    return Effect.persist(log.plus(h.tag()));
                })
                .build();
    }

    static final ActorType<Log, Msg> REC = type("rec", PoisonPolicy.DEAD_LETTER);

    private Recorder() {
    }
}
