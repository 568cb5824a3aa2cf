package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every outcome in the order reported (per actor, that is the order the runtime committed them), and answers
 * the order and once-only questions of docs/semantics.md on them. Every {@link Scenario} run keeps one (the report's
 * outcomes by kind, "every message decided", "no message applied twice"); the end-to-end tests feed others from
 * pollers and child consumers.
 *
 * <p>Thread-safe.
 */
public final class OutcomeLog implements OutcomeListener {
    /** Ids of actor-to-actor messages: the sender's stable prefix and its outgoing sequence. */
    public static final Pattern ACTOR_MESSAGE_ID = Pattern.compile("([0-9a-f]{24})-(\\d+)");

    private final List<Outcome> outcomes = new ArrayList<>();
    private final Map<Outcome.Kind, Long> counts = new EnumMap<>(Outcome.Kind.class);
    private final Map<RuntimeEvent.Kind, Long> events = new EnumMap<>(RuntimeEvent.Kind.class);

    @Override
    public synchronized void onOutcome(Outcome o) {
        outcomes.add(o);
        counts.merge(o.kind(), 1L, Long::sum);
    }

    @Override
    public synchronized void onEvent(RuntimeEvent e) {
        events.merge(e.kind(), 1L, Long::sum);
    }

    /** Runtime events (version conflicts, port failures, ...) by kind. */
    public synchronized Map<RuntimeEvent.Kind, Long> events() {
        return new EnumMap<>(events);
    }

    public synchronized List<Outcome> all() {
        return List.copyOf(outcomes);
    }

    public synchronized long count(Outcome.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    public synchronized Map<Outcome.Kind, Long> counts() {
        return new EnumMap<>(counts);
    }

    public synchronized List<Outcome> of(String messageId) {
        return outcomes.stream().filter(o -> o.messageId().equals(messageId)).toList();
    }

    /**
     * The ids of the messages some consumer decided on or recognised as already decided: every outcome but a retry
     * or a stale timer firing. A consumer that dies between a commit and its outcome reports nothing for that
     * message, but the redelivery is then reported as a duplicate, so a message decided durably is always here.
     */
    public synchronized Set<String> seen() {
        Set<String> ids = new HashSet<>();
        for (Outcome o : outcomes) {
            if (o.kind() != Outcome.Kind.RETRIED && o.kind() != Outcome.Kind.STALE) {
                ids.add(o.messageId());
            }
        }
        return ids;
    }

    /**
     * The messages (as {@code "group id"}) handled after a consumer dead-lettered them: a copy of the message came
     * again (an operator's move back, or a sender's re-send the receiver cannot tell from one) and was applied,
     * rejected or deferred, while the letter stays in the dead-letter queue. Known by such an outcome after the
     * DEAD_LETTERED one, or, as that outcome is lost when a consumer dies right after the commit, by a later copy
     * recognised as a re-send: the runtime does not count a dead-lettered actor's message as received from its sender
     * until a copy is handled. A lower bound: a lost outcome may hide one.
     */
    public synchronized Set<String> handledAfterDeadLettered() {
        Set<String> dead = new HashSet<>();
        Set<String> applied = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            String k = o.groupId() + " " + o.messageId();
            if (o.kind() == Outcome.Kind.DEAD_LETTERED) {
                dead.add(k);
            } else if (dead.contains(k) && (o.kind() == Outcome.Kind.APPLIED || o.kind() == Outcome.Kind.REJECTED
                    || o.kind() == Outcome.Kind.DEFERRED
                    || (o.kind() == Outcome.Kind.DUPLICATE && o.detail().startsWith("re-sent")))) {
                applied.add(k);
            }
        }
        return applied;
    }

    /** Whether this outcome is the first decision on a message (not a later resolution of a deferred one). */
    public static boolean isDecision(Outcome o) {
        return switch (o.kind()) {
            case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED, HELD, PARKED -> true;
            default -> false;
        };
    }

    /** Per actor, the ids of the messages it decided on, each once, in the order of its first decision. */
    public synchronized Map<ActorId, List<String>> decisionOrder() {
        Map<ActorId, Set<String>> order = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (isDecision(o)) {
                o.actor().ifPresent(a -> order.computeIfAbsent(a, x -> new LinkedHashSet<>()).add(o.messageId()));
            }
        }
        Map<ActorId, List<String>> out = new LinkedHashMap<>();
        order.forEach((a, ids) -> out.put(a, List.copyOf(ids)));
        return out;
    }

    /** Message ids with more than one APPLIED outcome that did not come from the stash: applied twice. */
    public synchronized List<String> appliedTwice() {
        Map<String, Integer> applied = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.kind() == Outcome.Kind.APPLIED && !"from the stash".equals(o.detail())) {
                applied.merge(o.messageId(), 1, Integer::sum);
            }
        }
        return applied.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** The ids of the actor-to-actor messages decided on (by their id shape), each once. */
    public Set<String> actorMessagesDecided() {
        Set<String> ids = new LinkedHashSet<>();
        decisionOrder().values().forEach(l -> l.stream().filter(id -> ACTOR_MESSAGE_ID.matcher(id).matches())
                .forEach(ids::add));
        return ids;
    }

    /**
     * G3 violations: per receiving actor, an actor-to-actor message decided after one with the same or a later
     * sequence number from the same sender (the sequence must only go forward; gaps are allowed). Empty: G3 held.
     */
    public List<String> pairwiseOrderViolations() {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<ActorId, List<String>> e : decisionOrder().entrySet()) {
            Map<String, Long> lastFromSender = new TreeMap<>();
            for (String id : e.getValue()) {
                Matcher m = ACTOR_MESSAGE_ID.matcher(id);
                if (!m.matches()) {
                    continue;
                }
                long seq = Long.parseLong(m.group(2));
                Long last = lastFromSender.put(m.group(1), seq);
                if (last != null && last >= seq) {
                    violations.add(e.getKey() + " decided " + id + " after sequence " + last
                            + " of the same sender");
                }
            }
        }
        return violations;
    }
}
