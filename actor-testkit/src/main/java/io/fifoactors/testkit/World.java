package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.Simulation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One try's world in a {@link SimulationProperty}: a {@link Simulation} of the user's actors under the try's
 * {@link Setup} (consumers, faults, redrive), with what a property needs to send, run and look: typed sends, raw and
 * forged messages, running until everything settled (timers and deadlines included), states, dead letters and
 * outcomes.
 *
 * <pre>{@code
 * world.tell(Ledger.ACCOUNT.ref("a"), new Deposit(100), "d-1");
 * world.runUntilQuiet();
 * long total = world.sum(Ledger.ACCOUNT, List.of("a", "b"), Account::balance);
 * }</pre>
 *
 * <p>Not thread-safe; used by the property's check, on its thread.
 */
public final class World {
    private final Simulation sim;
    private final Setup setup;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<RuntimeEvent> events = new ArrayList<>();
    private Simulation.RunResult last;

    World(Simulation.Builder builder, Setup setup) {
        this.setup = setup;
        this.sim = builder.listener(new OutcomeListener() {
            @Override
            public void onOutcome(Outcome o) {
                outcomes.add(o);
            }

            @Override
            public void onEvent(RuntimeEvent e) {
                events.add(e);
            }
        }).build();
    }

    /** Sends a message from outside any actor (a producer), with the producer's id. */
    public <M> World tell(ActorRef<M> to, M message, String messageId) {
        sim.system().tell(to, message, messageId);
        return this;
    }

    /**
     * Sends what a raw producer with send rights could: a wire type, a body and any attributes (reserved ones
     * included), to check that malformed, unknown or forged messages are dead-lettered with their reason.
     */
    public World sendRaw(ActorId to, String messageId, String wireType, byte[] body, Map<String, String> attributes) {
        Map<String, String> attrs = new LinkedHashMap<>(attributes);
        attrs.put(Envelope.TYPE, wireType);
        sim.mailbox().send(List.of(new OutgoingMessage(to.groupId(), messageId, attrs, body)));
        return this;
    }

    /** A message that claims to come from actor {@code from} (a forged sender), as a hostile producer might send. */
    public World sendForged(ActorId to, String messageId, String wireType, String jsonBody, ActorId from, long seq) {
        return sendRaw(to, messageId, wireType, jsonBody.getBytes(StandardCharsets.UTF_8),
                Map.of(Envelope.FROM, from.groupId() + " " + seq + " " + sim.clock().millis()));
    }

    /**
     * Runs the consumers until every message is settled and every timer has fired (the virtual clock jumps to each
     * one), and fails with the simulation's replay hint if they never settle.
     */
    public Simulation.RunResult runUntilQuiet() {
        last = sim.run();
        if (!last.settled()) {
            throw new AssertionError("the simulation did not settle: " + last + "; " + last.replayHint());
        }
        return last;
    }

    /** Moves the virtual clock forward (timers due meanwhile fire in the next {@link #runUntilQuiet()}). */
    public World advanceTime(Duration d) {
        sim.clock().advance(d);
        return this;
    }

    /** The actor's state (its initial state if it never committed). */
    public <S> S state(ActorType<S, ?> type, String key) {
        return snapshot(type, key).state();
    }

    /** The actor's durable record, decoded. */
    public <S> ActorSnapshot<S> snapshot(ActorType<S, ?> type, String key) {
        return sim.system().inspect(type, key);
    }

    /** The sum of {@code f} over the states of the actors of {@code type} with these keys (an accounting check). */
    public <S> long sum(ActorType<S, ?> type, List<String> keys, Function<S, Long> f) {
        long total = 0;
        for (String k : keys) {
            total = Math.addExact(total, f.apply(state(type, k)));
        }
        return total;
    }

    /** Messages consumers dead-lettered, with their reasons (never empty reasons), oldest first. */
    public List<DeadLetter> deadLetters() {
        return sim.mailbox().deadLetters();
    }

    /**
     * Messages the queue's redrive policy moved by itself (only with a queue redrive policy; no reasons), whether still
     * in the dead-letter queue or since moved back by the operator: the queue may move a message after its commit, so
     * each was applied or not (and one moved back after a crash on its last receive may be applied a second time).
     */
    public List<DeadLetter> movedByQueueRedrive() {
        List<DeadLetter> all = new java.util.ArrayList<>(sim.mailbox().movedByRedrive());
        for (DeadLetter d : sim.operatorMoved()) {
            if (InMemoryMailbox.REDRIVE_REASON.equals(d.reason())) {
                all.add(d);
            }
        }
        return List.copyOf(all);
    }

    /**
     * The dead letters an operator (the fault plan's {@code operatorRedrive}) moved back to the queue: such a message
     * is a new message to its actor and is applied after the group's later ones, at most once.
     */
    public List<DeadLetter> movedBackByOperator() {
        return sim.operatorMoved();
    }

    /** Every outcome of every consumer so far, in order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Every runtime event so far, in order. */
    public List<RuntimeEvent> events() {
        return List.copyOf(events);
    }

    /** The try's setup. */
    public Setup setup() {
        return setup;
    }

    /** The simulation underneath, for anything this class does not wrap. */
    public Simulation simulation() {
        return sim;
    }

    /** The last run's result (null before the first run). */
    public Simulation.RunResult lastRun() {
        return last;
    }

    void close() {
        sim.close();
    }
}
