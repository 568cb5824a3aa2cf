package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The records of every actor a scenario's workload may have touched, read once the run is over, by actor type:
 * what the domain checks and the accounting read.
 *
 * <pre>{@code
 * List<ActorSnapshot<Account>> accounts = snapshots.of(Ledger.ACCOUNT);
 * Seat s = snapshots.of(Reservations.SEAT, "seat-0001").state();
 * }</pre>
 *
 * <p>Not thread-safe (filled once, then read).
 */
public final class Snapshots {
    private final Map<ActorId, ActorSnapshot<?>> byId = new LinkedHashMap<>();
    private final Map<ActorId, ActorType<?, ?>> types = new LinkedHashMap<>();

    /** Adds one actor's record. */
    <S> void put(ActorType<S, ?> type, ActorSnapshot<S> snapshot) {
        byId.put(snapshot.id(), snapshot);
        types.put(snapshot.id(), type);
    }

    /** Every record, in the order read. */
    public Collection<ActorSnapshot<?>> all() {
        return byId.values();
    }

    /** The records of the actors of {@code type}, in the order read. */
    public <S> List<ActorSnapshot<S>> of(ActorType<S, ?> type) {
        List<ActorSnapshot<S>> out = new ArrayList<>();
        for (Map.Entry<ActorId, ActorSnapshot<?>> e : byId.entrySet()) {
            if (types.get(e.getKey()) == type) {
                out.add(cast(e.getValue()));
            }
        }
        return out;
    }

    /**
     * The record of {@code ref}, an actor of {@code type}.
     *
     * @throws NoSuchElementException if it was not read
     */
    public <S, M> ActorSnapshot<S> of(ActorType<S, M> type, ActorRef<M> ref) {
        ActorSnapshot<?> s = byId.get(ref.id());
        if (s == null || types.get(ref.id()) != type) {
            throw new NoSuchElementException("no record of " + ref.id() + " as a " + type.name() + " was read");
        }
        return cast(s);
    }

    @SuppressWarnings("unchecked")
    private static <S> ActorSnapshot<S> cast(ActorSnapshot<?> s) {
        return (ActorSnapshot<S>) s; // put() stored it with its type, whose state class is S
    }
}
