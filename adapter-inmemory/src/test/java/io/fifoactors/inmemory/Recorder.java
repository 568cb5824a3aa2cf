package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;

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

    static ActorType<Log, Msg> type(String name, PoisonPolicy policy) {
        return ActorType.builder(name, Log.class, Msg.class)
                .initialState(id -> new Log(List.of()))
                .poisonPolicy(policy)
                .handler((log, m, ctx) -> {
                    if (m instanceof Append a) {
                        return Effect.persist(log.plus(a.tag()));
                    }
                    if (m instanceof Forward f) {
                        return Effect.persist(log.plus(f.tag()))
                                .send(ActorId.of(name, f.to()), new Forwarded(f.tag(), ctx.self().key()));
                    }
                    if (m instanceof Forwarded f) {
                        return Effect.persist(log.plus("from " + f.from() + ": " + f.tag()));
                    }
                    if (m instanceof Poison p) {
                        throw new IllegalStateException("poison " + p.tag());
                    }
                    Flaky f = (Flaky) m;
                    if (ctx.metadata().receiveCount() < f.succeedOn()) {
                        throw new IllegalStateException("flaky " + f.tag());
                    }
                    return Effect.persist(log.plus(f.tag()));
                })
                .build();
    }

    static final ActorType<Log, Msg> REC = type("rec", PoisonPolicy.DEAD_LETTER);

    private Recorder() {
    }
}
