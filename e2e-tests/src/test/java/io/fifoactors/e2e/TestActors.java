package io.fifoactors.e2e;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Actor types made for the end-to-end tests: one whose handler fails while a test says so, one whose handler can be
 * held at a gate, one whose handler hangs, and one with timers. The switches are static (the handlers are not pure
 * while a test holds one; that is the point).
 */
final class TestActors {
    private TestActors() {
    }

    /** What the tag-keeping actors keep: their tags in the order applied. */
    record Tags(List<String> tags) {
        static final Tags EMPTY = new Tags(List.of());

        Tags plus(String tag) {
            List<String> t = new ArrayList<>(tags);
            t.add(tag);
            return new Tags(List.copyOf(t));
        }

        long count(String tag) {
            return tags.stream().filter(tag::equals).count();
        }
    }

    // ------------------------------------------------------------------------------------------------ flaky

    sealed interface FlakyMessage {
    }

    /** A task; while its tag is in {@link #BROKEN} the handler throws. */
    record Work(String tag) implements FlakyMessage {
    }

    /** Tags whose handling fails (a bug the operator fixes later). */
    static final Set<String> BROKEN = ConcurrentHashMap.newKeySet();

    static final ActorType<Tags, FlakyMessage> FLAKY = ActorType.builder("flaky", Tags.class, FlakyMessage.class)
            .initialState(id -> Tags.EMPTY)
            .on(Work.class, (state, w, ctx) -> {
                if (BROKEN.contains(w.tag())) {
                    throw new IllegalStateException("the handler of " + w.tag() + " is broken");
                }
                return Effect.persist(state.plus(w.tag()));
            })
            .build();

    // ------------------------------------------------------------------------------------------------ gated

    sealed interface GateMessage {
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
            .handlerTimeout(Duration.ofMinutes(2))
            .on(Hit.class, (state, hit, ctx) -> {
                Gate g = GATES.get(hit.tag());
                if (g != null && g.calls.incrementAndGet() == 1) {
                    g.entered.countDown();
                    if (!g.open.await(90, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                }
                return Effect.persist(state.plus(hit.tag()));
            })
            .build();

    // ------------------------------------------------------------------------------------------------ hanging

    sealed interface HangMessage {
    }

    /** A task; the tag {@code "hang"} blocks its handler until {@link #RELEASE} opens, ignoring interrupts. */
    record Task(String tag) implements HangMessage {
    }

    /** The time limit of the hanging actor type. */
    static final Duration HANG_LIMIT = Duration.ofSeconds(2);
    /** Opened by the test at its end: the hung handler calls return then. */
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    /** Handler calls that hung, and those of them that returned after the release. */
    static final AtomicInteger HUNG = new AtomicInteger();
    static final AtomicInteger RETURNED = new AtomicInteger();

    static final ActorType<Tags, HangMessage> HANGING = ActorType.builder("hanging", Tags.class, HangMessage.class)
            .initialState(id -> Tags.EMPTY)
            .handlerTimeout(HANG_LIMIT)
            .on(Task.class, (state, t, ctx) -> {
                if (t.tag().equals("hang")) {
                    HUNG.incrementAndGet();
                    CountDownLatch release = RELEASE;
                    boolean interrupted = false;
                    // a handler stuck in something that does not answer interrupts (a native call, a lock)
                    while (true) {
                        try {
                            release.await();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    RETURNED.incrementAndGet();
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Effect.persist(state.plus(t.tag()));
            })
            .build();

    // ------------------------------------------------------------------------------------------------ timers

    sealed interface TimerMessage {
    }

    /** Start (or replace) timer {@code key} to fire after {@code delayMillis}. */
    record StartTimer(String key, long delayMillis) implements TimerMessage {
    }

    /** Cancel timer {@code key}. */
    record CancelTimer(String key) implements TimerMessage {
    }

    /** What a timer delivers when it fires. */
    record Fire(String key) implements TimerMessage {
    }

    /** Each timer's due time, and when its firing was handled (the runtime's clock). */
    record Timers(Map<String, Instant> due, Map<String, Instant> fired, List<String> cancelled) {
        static final Timers EMPTY = new Timers(Map.of(), Map.of(), List.of());
    }

    static final ActorType<Timers, TimerMessage> TIMER = ActorType.builder("timer", Timers.class, TimerMessage.class)
            .initialState(id -> Timers.EMPTY)
            .on(StartTimer.class, (s, m, ctx) -> {
                Instant due = ctx.now().plusMillis(m.delayMillis());
                Map<String, Instant> d = new LinkedHashMap<>(s.due());
                d.put(m.key(), due);
                return Effect.persist(new Timers(d, s.fired(), s.cancelled()),
                        ctx.startTimerAt(m.key(), due, new Fire(m.key())));
            })
            .on(CancelTimer.class, (s, m, ctx) -> {
                List<String> c = new ArrayList<>(s.cancelled());
                c.add(m.key());
                return Effect.persist(new Timers(s.due(), s.fired(), c), ctx.cancelTimer(m.key()));
            })
            .on(Fire.class, (s, m, ctx) -> {
                Map<String, Instant> f = new LinkedHashMap<>(s.fired());
                f.put(m.key(), ctx.now());
                return Effect.persist(new Timers(s.due(), f, s.cancelled()));
            })
            .build();
}
