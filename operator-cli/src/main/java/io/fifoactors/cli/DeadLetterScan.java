package io.fifoactors.cli;

import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.sqs.SqsDeadLetters;
import io.fifoactors.sqswire.StoredLetter;
import io.fifoactors.sqswire.WireMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a dead-letter queue receive by receive: each receive's matching letters are acted on (moved back, deleted,
 * or just kept for a listing), the others are held in flight so they are not read again, and everything held is
 * made visible again at the end. A FIFO queue hands out an actor's later letters only once its earlier ones left,
 * so acting on an actor's letters reaches the next ones, while a letter that is held (not matching, or listed) keeps
 * the letters behind it out of this run. Not thread-safe.
 */
final class DeadLetterScan {
    /** A receive's long poll: it asks every SQS host, so an empty answer means the queue has nothing visible. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private DeadLetterScan() {
    }

    /**
     * Runs the scan.
     *
     * @param act called with each receive's matching letters (up to what {@code max} still allows); letters it does
     *            not remove from the queue must be listed in the result's hold by returning false from
     *            {@code removes}
     * @return the letters acted on, in the order read
     */
    static List<StoredLetter> run(SqsDeadLetters dlq, Predicate<StoredLetter> filter, int max, Duration visibility,
                                  boolean removes, Consumer<List<StoredLetter>> act) {
        List<StoredLetter> held = new ArrayList<>();
        List<StoredLetter> done = new ArrayList<>();
        try {
            while (done.size() < max) {
                List<StoredLetter> got = dlq.receive(10, visibility, WAIT);
                if (got.isEmpty()) {
                    break;
                }
                List<StoredLetter> matching = new ArrayList<>();
                for (StoredLetter l : got) {
                    if (filter.test(l) && done.size() + matching.size() < max) {
                        matching.add(l);
                    } else {
                        held.add(l);
                    }
                }
                if (!matching.isEmpty()) {
                    act.accept(matching);
                    done.addAll(matching);
                    if (!removes) {
                        held.addAll(matching);
                    }
                }
            }
        } finally {
            if (!held.isEmpty()) {
                dlq.release(held);
            }
        }
        return done;
    }

    static String type(StoredLetter l) {
        String t = l.attributes().get(Envelope.TYPE);
        return t == null ? "" : t;
    }

    static int receives(StoredLetter l) {
        try {
            return Integer.parseInt(l.copy().system(WireMessage.RECEIVE_COUNT));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String reason(StoredLetter l) {
        return l.movedByRedrive() ? "(moved by the queue's redrive policy: no reason)" : l.reason();
    }

    static Map<String, Object> document(StoredLetter l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("actor", l.groupId());
        m.put("messageId", l.messageId());
        m.put("type", type(l));
        m.put("reason", l.reason());
        m.put("movedByRedrive", l.movedByRedrive());
        m.put("deadLetterQueueReceives", receives(l));
        m.put("deadLetteredAt", l.sentAt().toString());
        m.put("bodyBytes", l.body().length);
        return m;
    }

    static List<String> row(StoredLetter l) {
        return List.of(l.groupId(), l.messageId(), type(l), reason(l), Integer.toString(receives(l)),
                l.sentAt().toString());
    }

    static final List<String> HEADER = List.of("ACTOR", "MESSAGE ID", "TYPE", "REASON", "RECEIVES",
            "DEAD-LETTERED AT");
}
