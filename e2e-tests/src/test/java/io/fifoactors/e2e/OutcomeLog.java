package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Records every outcome in the order reported (per actor, that is the order the runtime committed them). */
final class OutcomeLog implements OutcomeListener {
    /** Ids of actor-to-actor messages: the sender's stable prefix and its outgoing sequence. */
    static final Pattern ACTOR_MESSAGE_ID = Pattern.compile("([0-9a-f]{24})-(\\d+)");

    private final List<Outcome> outcomes = new ArrayList<>();
    private final Map<Outcome.Kind, Long> counts = new EnumMap<>(Outcome.Kind.class);

    @Override
    public synchronized void onOutcome(Outcome o) {
        outcomes.add(o);
        counts.merge(o.kind(), 1L, Long::sum);
    }

    synchronized List<Outcome> all() {
        return List.copyOf(outcomes);
    }

    synchronized long count(Outcome.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    synchronized Map<Outcome.Kind, Long> counts() {
        return new EnumMap<>(counts);
    }

    synchronized List<Outcome> of(String messageId) {
        return outcomes.stream().filter(o -> o.messageId().equals(messageId)).toList();
    }

    /** Whether this outcome is the first decision on a message (not a later resolution of a deferred one). */
    static boolean isDecision(Outcome o) {
        return switch (o.kind()) {
            case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED, HELD, PARKED -> true;
            default -> false;
        };
    }

    /** Per actor, the ids of the messages it decided on, each once, in the order of its first decision. */
    synchronized Map<ActorId, List<String>> decisionOrder() {
        Map<ActorId, Set<String>> order = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.actor() != null && isDecision(o)) {
                order.computeIfAbsent(o.actor(), a -> new LinkedHashSet<>()).add(o.messageId());
            }
        }
        Map<ActorId, List<String>> out = new LinkedHashMap<>();
        order.forEach((a, ids) -> out.put(a, List.copyOf(ids)));
        return out;
    }

    /** Message ids with more than one APPLIED outcome that did not come from the stash: applied twice. */
    synchronized List<String> appliedTwice() {
        Map<String, Integer> applied = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.kind() == Outcome.Kind.APPLIED && !"from the stash".equals(o.detail())) {
                applied.merge(o.messageId(), 1, Integer::sum);
            }
        }
        return applied.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }
}
