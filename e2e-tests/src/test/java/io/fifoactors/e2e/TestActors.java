package io.fifoactors.e2e;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Actor types made for the end-to-end tests: one whose handler can be held at a gate, one that can be poisoned. */
final class TestActors {
    private TestActors() {
    }

    /** What both test actors keep: how many messages they applied, and their tags in order. */
    record Tags(long count, List<String> tags) {
        static final Tags EMPTY = new Tags(0, List.of());

        Tags plus(String tag) {
            List<String> t = new ArrayList<>(tags);
            t.add(tag);
            return new Tags(count + 1, t);
        }
    }

    // ------------------------------------------------------------------------------------------------ gate

    sealed interface GateMessage permits Hit {
    }

    record Hit(String tag) implements GateMessage {
    }

    /** The handler's first call for a tag with a gate waits until the test opens the gate; later calls do not. */
    static final class Gate {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
    }

    static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    static Gate gate(String tag) {
        Gate g = new Gate();
        GATES.put(tag, g);
        return g;
    }

    static final ActorType<Tags, GateMessage> GATED = ActorType.builder("gated", Tags.class, GateMessage.class)
            .initialState(id -> Tags.EMPTY)
            .handler((state, message, ctx) -> {
                Hit hit = (Hit) message;
                Gate g = GATES.get(hit.tag());
                if (g != null && g.calls.incrementAndGet() == 1) {
                    g.entered.countDown();
                    if (!g.open.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                }
                return Effect.persist(state.plus(hit.tag()));
            })
            .build();

    // ------------------------------------------------------------------------------------------------ worker

    sealed interface WorkerMessage permits Task {
    }

    /** A task; the tag "poison" makes the handler throw every time. */
    record Task(String tag) implements WorkerMessage {
    }

    static final ActorType<Tags, WorkerMessage> WORKER = ActorType.builder("worker", Tags.class, WorkerMessage.class)
            .initialState(id -> Tags.EMPTY)
            .handler((state, message, ctx) -> {
                Task t = (Task) message;
                if (t.tag().equals("poison")) {
                    throw new IllegalStateException("this task always fails");
                }
                return Effect.persist(state.plus(t.tag()));
            })
            .build();
}
