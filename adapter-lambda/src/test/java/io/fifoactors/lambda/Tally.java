package io.fifoactors.lambda;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A test actor: adds amounts and remembers their order; other messages fail, block or meet on demand. */
public record Tally(long total, List<Long> seen) {
    static final Tally EMPTY = new Tally(0, List.of());

    /** Gates that {@link Msg.Block} waits on, and latches counted down when a handler enters the block. */
    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();
    static volatile CyclicBarrier rendezvous = new CyclicBarrier(2);

    public sealed interface Msg {
        record Add(long amount) implements Msg {
        }

        /** The handler throws: "retry later". */
        record Boom() implements Msg {
        }

        /** The handler throws an AssertionError (an Error that is not a VM error). */
        record Broken() implements Msg {
        }

        /** The handler throws an InternalError (a VirtualMachineError). */
        record Fatal() implements Msg {
        }

        /** The handler waits until the gate opens (at most 10 s). */
        record Block(String gate) implements Msg {
        }

        /** The handler waits until {@code size} handlers meet (at most 5 s): only concurrent groups can. */
        record Meet(int size) implements Msg {
        }
    }

    static final ActorType<Tally, Msg> TYPE = ActorType.builder("tally", Tally.class, Msg.class)
            .initialState(id -> EMPTY)
            .on(Msg.Add.class, Tally::decide)
            .on(Msg.Boom.class, Tally::decide)
            .on(Msg.Broken.class, Tally::decide)
            .on(Msg.Fatal.class, Tally::decide)
            .on(Msg.Block.class, Tally::decide)
            .on(Msg.Meet.class, Tally::decide)
            .build();

    static void reset() {
        GATES.clear();
        ENTERED.clear();
        rendezvous = new CyclicBarrier(2);
    }

    private static Effect<Tally> decide(Tally t, Msg m, io.fifoactors.core.ActorContext<Msg> ctx) throws Exception {
        if (m instanceof Msg.Add a) {
            List<Long> seen = new ArrayList<>(t.seen());
            seen.add(a.amount());
            return Effect.persist(new Tally(t.total() + a.amount(), List.copyOf(seen)));
        }
        if (m instanceof Msg.Boom) {
            throw new IllegalStateException("boom");
        }
        if (m instanceof Msg.Broken) {
            throw new AssertionError("broken");
        }
        if (m instanceof Msg.Fatal) {
            throw new InternalError("simulated fatal VM error");
        }
        if (m instanceof Msg.Block b) {
            ENTERED.computeIfAbsent(b.gate(), g -> new CountDownLatch(1)).countDown();
            if (!GATES.computeIfAbsent(b.gate(), g -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate " + b.gate() + " never opened");
            }
            return Effect.none();
        }
        Msg.Meet meet = (Msg.Meet) m;
        try {
            rendezvous.await(5, TimeUnit.SECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("nobody came to the rendezvous of " + meet.size());
        }
        return Effect.none();
    }
}
