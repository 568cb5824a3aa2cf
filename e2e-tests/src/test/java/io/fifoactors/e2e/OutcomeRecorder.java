package io.fifoactors.e2e;

import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every outcome and runtime event a system reported, with when it arrived; thread-safe. */
final class OutcomeRecorder implements OutcomeListener {
    /** One outcome and when it was reported. */
    record Seen(Outcome outcome, Instant at) {
    }

    private final ConcurrentLinkedQueue<Seen> outcomes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RuntimeEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onOutcome(Outcome outcome) {
        outcomes.add(new Seen(outcome, Instant.now()));
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        events.add(event);
    }

    List<Seen> seen() {
        return new ArrayList<>(outcomes);
    }

    List<Outcome> all() {
        return outcomes.stream().map(Seen::outcome).toList();
    }

    List<Outcome> where(Predicate<Outcome> p) {
        return outcomes.stream().map(Seen::outcome).filter(p).toList();
    }

    long count(Outcome.Kind kind) {
        return outcomes.stream().filter(s -> s.outcome().kind() == kind).count();
    }

    long count(String groupId, Outcome.Kind kind) {
        return outcomes.stream().filter(s -> s.outcome().kind() == kind && s.outcome().groupId().equals(groupId))
                .count();
    }

    /** The outcomes of one message (group and id), in order. */
    List<Outcome> of(String groupId, String messageId) {
        return where(o -> o.groupId().equals(groupId) && o.messageId().equals(messageId));
    }

    List<RuntimeEvent> events() {
        return new ArrayList<>(events);
    }

    long events(RuntimeEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    /** Outcome counts by kind. */
    Map<Outcome.Kind, Long> counts() {
        Map<Outcome.Kind, Long> m = new EnumMap<>(Outcome.Kind.class);
        for (Seen s : outcomes) {
            m.merge(s.outcome().kind(), 1L, Long::sum);
        }
        return m;
    }

    /** Event counts by kind. */
    Map<RuntimeEvent.Kind, Long> eventCounts() {
        Map<RuntimeEvent.Kind, Long> m = new EnumMap<>(RuntimeEvent.Kind.class);
        for (RuntimeEvent e : events) {
            m.merge(e.kind(), 1L, Long::sum);
        }
        return m;
    }

    /** Messages (group and id) reported applied more than once: must be none. */
    Map<String, Long> appliedTwice() {
        Map<String, Long> n = new TreeMap<>();
        for (Seen s : outcomes) {
            if (s.outcome().kind() == Outcome.Kind.APPLIED) {
                n.merge(s.outcome().groupId() + " " + s.outcome().messageId(), 1L, Long::sum);
            }
        }
        n.values().removeIf(c -> c < 2);
        return n;
    }

    /** Reasons of the dead-lettered outcomes, by message. */
    Map<String, String> deadLettered() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Seen s : outcomes) {
            if (s.outcome().kind() == Outcome.Kind.DEAD_LETTERED) {
                m.put(s.outcome().groupId() + " " + s.outcome().messageId(), s.outcome().detail());
            }
        }
        return m;
    }

    /** The first outcome of {@code kind} reported at or after {@code from}, or null. */
    Seen firstAfter(Instant from, Outcome.Kind kind) {
        Seen first = null;
        for (Seen s : outcomes) {
            if (s.outcome().kind() == kind && !s.at().isBefore(from)
                    && (first == null || s.at().isBefore(first.at()))) {
                first = s;
            }
        }
        return first;
    }
}
