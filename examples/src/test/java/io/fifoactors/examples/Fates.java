package io.fifoactors.examples;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.testkit.World;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the faults of one property try did to its messages, as far as a domain check needs to know: the messages the
 * consumers dead-lettered and that are still in the dead-letter queue (never applied: the runtime dead-letters only
 * what it did not apply, and records it as passed; unless its sender re-sent it late and that copy was applied, which
 * the outcomes show and which is kept apart), the messages the queue's redrive policy moved by itself (applied
 * or not: the queue may move a message after its commit, before its acknowledgement), and the messages dead-lettered
 * once and since moved back by the operator (a new message then, applied or not, whose body is gone from the queue).
 * Messages are named {@code "group messageId"}.
 */
public final class Fates {
    private final Map<String, DeadLetter> inQueue = new LinkedHashMap<>();
    private final Map<String, DeadLetter> moved = new LinkedHashMap<>();
    private final Map<String, DeadLetter> appliedAnyway = new LinkedHashMap<>();
    private final Set<String> movedBack = new HashSet<>();
    private final Set<String> groups = new HashSet<>();
    private final Set<String> wokenInVain = new HashSet<>();

    private Fates() {
    }

    public static Fates of(World world) {
        Fates f = new Fates();
        Set<String> applied = new HashSet<>();
        for (Outcome o : world.outcomes()) {
            if (o.kind() == Outcome.Kind.APPLIED) {
                applied.add(o.groupId() + " " + o.messageId());
            }
        }
        for (DeadLetter d : world.deadLetters()) {
            // an actor's message dead-lettered, then re-sent late by its sender (a stall past the deduplication
            // window) and applied: its letter stays although the message was applied (docs/semantics.md, section 6)
            f.note(d, applied.contains(d.groupId() + " " + d.messageId()) ? f.appliedAnyway : f.inQueue);
        }
        for (DeadLetter d : world.movedByQueueRedrive()) {
            f.note(d, f.moved);
        }
        for (Outcome o : world.outcomes()) {
            String k = o.groupId() + " " + o.messageId();
            if (o.kind() == Outcome.Kind.DEAD_LETTERED && !f.inQueue.containsKey(k) && !f.moved.containsKey(k)
                    && !f.appliedAnyway.containsKey(k)) {
                f.movedBack.add(k);
                f.groups.add(o.groupId());
            }
        }
        return f;
    }

    private void note(DeadLetter d, Map<String, DeadLetter> into) {
        String k = d.groupId() + " " + d.messageId();
        if (Envelope.SYSTEM_WAKE.equals(d.attributes().get(Envelope.TYPE))) {
            wokenInVain.add(d.groupId());
            return;
        }
        into.putIfAbsent(k, d);
        groups.add(d.groupId());
    }

    /** Dead-lettered by a consumer and still in the dead-letter queue: never applied. */
    public boolean deadLettered(String group, String messageId) {
        return inQueue.containsKey(group + " " + messageId);
    }

    /** Moved by the queue's redrive policy: applied or not. */
    public boolean movedByQueue(String group, String messageId) {
        String k = group + " " + messageId;
        return moved.containsKey(k) && !inQueue.containsKey(k);
    }

    /** Dead-lettered in any way, now or before. */
    public boolean everDead(String group, String messageId) {
        String k = group + " " + messageId;
        return inQueue.containsKey(k) || moved.containsKey(k) || movedBack.contains(k) || appliedAnyway.containsKey(k);
    }

    /** Whether any message of this actor was dead-lettered in any way (its final wake excepted). */
    public boolean touched(String group) {
        return groups.contains(group);
    }

    /** Whether a wake of this actor was dead-lettered or moved (so the wake may not have run). */
    public boolean wakeLost(String group) {
        return wokenInVain.contains(group);
    }

    /** The letters still in the dead-letter queue, put there by consumers. */
    public List<DeadLetter> deadLetters() {
        return new ArrayList<>(inQueue.values());
    }

    /** The letters the queue moved by itself (not also in the consumers' letters). */
    public List<DeadLetter> movedLetters() {
        List<DeadLetter> l = new ArrayList<>();
        moved.forEach((k, d) -> {
            if (!inQueue.containsKey(k)) {
                l.add(d);
            }
        });
        return l;
    }

    /** Messages dead-lettered by a consumer and moved back by the operator since: their bodies are not known. */
    public Set<String> movedBack() {
        return movedBack;
    }

    /** Whether nothing but the expected messages was dead-lettered or moved. */
    public boolean onlyThese(Set<String> expected) {
        for (String k : inQueue.keySet()) {
            if (!expected.contains(k)) {
                return false;
            }
        }
        for (String k : moved.keySet()) {
            if (!expected.contains(k)) {
                return false;
            }
        }
        for (String k : appliedAnyway.keySet()) {
            if (!expected.contains(k)) {
                return false;
            }
        }
        return movedBack.stream().allMatch(expected::contains);
    }

    @Override
    public String toString() {
        return "Fates[dead-lettered " + inQueue.keySet() + ", dead-lettered and applied from a late re-send "
                + appliedAnyway.keySet() + ", moved by the queue " + moved.keySet()
                + ", moved back " + movedBack + "]";
    }
}
