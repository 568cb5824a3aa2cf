package io.fifoactors.e2e;

import io.fifoactors.core.runtime.Outcome;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order guarantees on reported decisions (applied or rejected, in the order reported). A consumer killed after a
 * commit and before its report leaves a gap (its successor reports a duplicate), so the order may have gaps but must
 * never go backwards.
 */
final class OrderChecks {
    /** An actor-to-actor message id: 24 hex digits of the sender's hash, a dash, the sender's sequence number. */
    private static final Pattern ACTOR_MESSAGE = Pattern.compile("([0-9a-f]{24})-(\\d+)");

    private OrderChecks() {
    }

    private static boolean isDecision(Outcome o) {
        return o.kind() == Outcome.Kind.APPLIED || o.kind() == Outcome.Kind.REJECTED;
    }

    /**
     * G1: each account decided the producer's messages in the order they were sent to it. Returns the violations
     * (empty: none).
     */
    static List<String> perActor(List<Outcome> outcomes, List<LedgerWorkload.Tx> sent) {
        Map<String, Map<String, Integer>> position = new HashMap<>();
        for (LedgerWorkload.Tx tx : sent) {
            Map<String, Integer> p = position.computeIfAbsent(LedgerWorkload.id(tx.account()).groupId(),
                    g -> new HashMap<>());
            p.put(tx.id(), p.size());
        }
        Map<String, Integer> last = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Integer> p = position.get(o.groupId());
            Integer at = p == null ? null : p.get(o.messageId());
            if (at == null || !isDecision(o)) {
                continue;
            }
            Integer before = last.put(o.groupId(), at);
            if (before != null && at <= before) {
                violations.add(o.groupId() + " decided " + o.messageId() + " after a later message");
            }
        }
        return violations;
    }

    /** G3: each receiver decided each sender's messages in the sender's order. Returns the violations. */
    static List<String> pairwise(List<Outcome> outcomes) {
        Map<String, Long> last = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (Outcome o : outcomes) {
            Matcher m = ACTOR_MESSAGE.matcher(o.messageId());
            if (!isDecision(o) || !m.matches()) {
                continue;
            }
            long seq = Long.parseLong(m.group(2));
            Long before = last.put(o.groupId() + " " + m.group(1), seq);
            if (before != null && seq <= before) {
                violations.add(o.groupId() + " decided " + o.messageId() + " after a later message of its sender");
            }
        }
        return violations;
    }

    /** How many decisions the pairwise check saw (to show it looked at something). */
    static long actorMessages(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> isDecision(o) && ACTOR_MESSAGE.matcher(o.messageId()).matches())
                .count();
    }
}
