package io.fifoactors.inmemory;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Mailbox} in memory that models an SQS FIFO queue and its FIFO dead-letter queue: message groups, a group
 * locked while any of its messages is in flight, visibility timeouts, redelivery with a growing receive count,
 * redrive to the dead-letter queue after maxReceiveCount receives, a deduplication window on the message id (kept
 * after delete), receives of at most 10 messages that may mix groups, and sequence numbers that grow within a group.
 * Time comes from the injected clock; with a {@link VirtualClock}, a receive's wait time moves the clock forward to
 * the next message becoming visible (up to that wait), as long polling would.
 *
 * <pre>{@code
 * VirtualClock clock = VirtualClock.at(Instant.EPOCH);
 * InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).maxReceiveCount(5).build();
 * }</pre>
 *
 * <p>Thread-safe: every operation is atomic.
 */
public final class InMemoryMailbox implements Mailbox {
    /** SQS's deduplication interval. */
    public static final Duration DEDUP_WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final int maxReceiveCount;

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Message> byReceipt = new HashMap<>();
    private final Map<String, Long> dedupUntil = new HashMap<>();
    /**
     * Dedup entries in the order they were recorded, one element per send call (its messages share an expiry); the
     * expiries grow with it, so expired ones are at the head.
     */
    private final ArrayDeque<DedupEntries> dedupOrder = new ArrayDeque<>();
    private final Map<String, Long> deadLetterDedupUntil = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private long nextSequence = 10_000_000_000_000_000L;
    private long nextReceipt;
    private long messageCount;
    private long sends;
    private long receives;

    private InMemoryMailbox(Builder b) {
        this.clock = b.clock;
        this.maxReceiveCount = b.maxReceiveCount;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record DedupEntries(Long expiry, String[] messageIds) {
    }

    private static final class Group {
        final ArrayDeque<Message> messages = new ArrayDeque<>();
    }

    private static final class Message {
        final OutgoingMessage out;
        private String sequence; // made on the first receive: many messages are never received in a benchmark
        final long sequenceNumber;
        final Instant sentAt;
        int receiveCount;
        long visibleAtMillis;
        String receipt;

        Message(OutgoingMessage out, long sequenceNumber, Instant sentAt) {
            this.out = out;
            this.sequenceNumber = sequenceNumber;
            this.sentAt = sentAt;
        }

        String sequence() {
            if (sequence == null) {
                sequence = Long.toString(sequenceNumber);
            }
            return sequence;
        }

        boolean inFlight(long now) {
            return receipt != null && visibleAtMillis > now;
        }
    }

    @Override
    public void send(List<OutgoingMessage> messages) {
        // checked and copied before taking the lock (a duplicate's copy is simply dropped), so that concurrent
        // senders hold it only for the queue's own bookkeeping
        OutgoingMessage[] copies = new OutgoingMessage[messages.size()];
        int n = 0;
        for (OutgoingMessage m : messages) {
            if (m.attributes().size() > MAX_ATTRIBUTES) {
                throw new PermanentFailureException("message " + m.messageId() + " has " + m.attributes().size()
                        + " attributes; at most " + MAX_ATTRIBUTES + " are allowed");
            }
            long size = Mailbox.sizeOf(m);
            if (size > MAX_MESSAGE_BYTES) {
                throw new MessageTooLargeException(m.messageId(), size, MAX_MESSAGE_BYTES);
            }
        }
        for (OutgoingMessage m : messages) {
            copies[n++] = new OutgoingMessage(m.groupId(), m.messageId(), Map.copyOf(m.attributes()),
                    m.body().clone());
        }
        enqueue(copies);
    }

    private synchronized void enqueue(OutgoingMessage[] copies) {
        long now = clock.millis();
        sends++;
        expireDedup(now);
        Long expiry = now + DEDUP_WINDOW.toMillis();
        String[] accepted = new String[copies.length];
        int n = 0;
        Instant sentAt = null;
        for (OutgoingMessage m : copies) {
            Long until = dedupUntil.put(m.messageId(), expiry);
            if (until != null && until > now) {
                dedupUntil.put(m.messageId(), until); // a duplicate inside the window: dropped, its window unchanged
                continue;
            }
            accepted[n++] = m.messageId();
            if (sentAt == null) {
                sentAt = Instant.ofEpochMilli(now);
            }
            groups.computeIfAbsent(m.groupId(), g -> new Group()).messages
                    .addLast(new Message(m, nextSequence++, sentAt));
            messageCount++;
        }
        if (n > 0) {
            dedupOrder.addLast(new DedupEntries(expiry, n == accepted.length ? accepted : Arrays.copyOf(accepted, n)));
        }
    }

    private void expireDedup(long now) {
        while (!dedupOrder.isEmpty() && dedupOrder.peekFirst().expiry() <= now) {
            DedupEntries e = dedupOrder.removeFirst();
            for (String id : e.messageIds()) {
                dedupUntil.remove(id, e.expiry());
            }
        }
    }

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be 1 to 10, was " + maxMessages);
        }
        List<Delivery> got = receiveNow(maxMessages, visibilityTimeout);
        if (got.isEmpty() && !waitTime.isZero() && clock instanceof VirtualClock virtual) {
            Instant limit = virtual.instant().plus(waitTime);
            Instant next = nextVisibleAt();
            virtual.advanceTo(next != null && next.isBefore(limit) ? next : limit);
            got = receiveNow(maxMessages, visibilityTimeout);
        }
        return got;
    }

    private synchronized List<Delivery> receiveNow(int maxMessages, Duration visibilityTimeout) {
        long now = clock.millis();
        receives++;
        List<Delivery> out = new ArrayList<>();
        // the (at most maxMessages) unlocked groups with the oldest heads, oldest first, as SQS favours old messages
        PriorityQueue<Group> oldest = new PriorityQueue<>(maxMessages + 1,
                (a, b) -> Long.compare(b.messages.peekFirst().sequenceNumber, a.messages.peekFirst().sequenceNumber));
        for (Iterator<Map.Entry<String, Group>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Group g = it.next().getValue();
            redrive(g, now);
            if (g.messages.isEmpty()) {
                it.remove();
                continue;
            }
            if (g.messages.peekFirst().visibleAtMillis > now || locked(g, now)) {
                continue;
            }
            oldest.add(g);
            if (oldest.size() > maxMessages) {
                oldest.poll();
            }
        }
        List<Group> ready = new ArrayList<>(oldest);
        ready.sort((a, b) -> Long.compare(a.messages.peekFirst().sequenceNumber, b.messages.peekFirst().sequenceNumber));
        for (Group g : ready) {
            for (Message m : g.messages) {
                if (out.size() >= maxMessages || m.visibleAtMillis > now) {
                    break;
                }
                m.receiveCount++;
                m.visibleAtMillis = now + visibilityTimeout.toMillis();
                if (m.receipt != null) {
                    byReceipt.remove(m.receipt);
                }
                m.receipt = "r-" + (nextReceipt++);
                byReceipt.put(m.receipt, m);
                out.add(new Delivery(m.out.messageId(), m.out.groupId(), m.sequence(), m.receiveCount, m.sentAt,
                        m.out.attributes(), m.out.body().clone(), m.receipt));
            }
            if (out.size() >= maxMessages) {
                break;
            }
        }
        return out;
    }

    private static boolean locked(Group g, long now) {
        for (Message m : g.messages) {
            if (m.receipt == null) {
                return false; // receives take a group's messages from its head, so received ones are a prefix
            }
            if (m.inFlight(now)) {
                return true;
            }
        }
        return false;
    }

    /** Moves the group's head messages that were received maxReceiveCount times, and are visible, to the DLQ. */
    private void redrive(Group g, long now) {
        while (!g.messages.isEmpty()) {
            Message head = g.messages.peekFirst();
            if (head.receiveCount < maxReceiveCount || head.inFlight(now) || head.visibleAtMillis > now) {
                return;
            }
            g.messages.removeFirst();
            if (head.receipt != null) {
                byReceipt.remove(head.receipt);
            }
            addDeadLetter(new DeadLetter(head.out.groupId(), head.out.messageId(), head.out.attributes(),
                    head.out.body(), ""), now);
        }
    }

    @Override
    public synchronized List<Delivery> acknowledge(List<Delivery> deliveries) {
        List<Delivery> stale = new ArrayList<>();
        for (Delivery d : deliveries) {
            Message m = byReceipt.remove(d.receiptHandle());
            if (m == null) {
                stale.add(d);
                continue;
            }
            Group g = groups.get(m.out.groupId());
            if (g != null) {
                g.messages.remove(m);
            }
        }
        return stale;
    }

    @Override
    public synchronized void release(List<Delivery> deliveries, Duration delay) {
        long visibleAt = clock.millis() + delay.toMillis();
        for (Delivery d : deliveries) {
            Message m = byReceipt.get(d.receiptHandle());
            if (m != null) {
                m.visibleAtMillis = visibleAt;
            }
        }
    }

    @Override
    public synchronized void deadLetter(DeadLetter letter) {
        addDeadLetter(new DeadLetter(letter.groupId(), letter.messageId(), Map.copyOf(letter.attributes()),
                letter.body().clone(), letter.reason()), clock.millis());
    }

    private void addDeadLetter(DeadLetter letter, long now) {
        Long until = deadLetterDedupUntil.get(letter.messageId());
        if (until != null && until > now) {
            return; // the dead-letter queue is a FIFO queue too: a repeated id inside the window is dropped
        }
        deadLetterDedupUntil.put(letter.messageId(), now + DEDUP_WINDOW.toMillis());
        deadLetters.add(letter);
    }

    /** The dead-letter queue's messages, oldest first. */
    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Messages still in the queue, visible or in flight. */
    public synchronized int size() {
        int n = 0;
        for (Group g : groups.values()) {
            n += g.messages.size();
        }
        return n;
    }

    /** Messages received and neither acknowledged nor visible again. */
    public synchronized int inFlight() {
        long now = clock.millis();
        int n = 0;
        for (Group g : groups.values()) {
            for (Message m : g.messages) {
                if (m.inFlight(now)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** When the next invisible message becomes visible, or null if none is invisible. */
    public synchronized Instant nextVisibleAt() {
        long now = clock.millis();
        long next = Long.MAX_VALUE;
        for (Group g : groups.values()) {
            for (Message m : g.messages) {
                if (m.visibleAtMillis > now) {
                    next = Math.min(next, m.visibleAtMillis);
                }
            }
        }
        return next == Long.MAX_VALUE ? null : Instant.ofEpochMilli(next);
    }

    /** Messages accepted (not deduplicated) since creation. */
    public synchronized long enqueuedCount() {
        return messageCount;
    }

    /** Send and receive calls so far (a stand-in for SQS requests). */
    public synchronized long sendCalls() {
        return sends;
    }

    public synchronized long receiveCalls() {
        return receives;
    }

    /** Builds an {@link InMemoryMailbox}; not thread-safe. */
    public static final class Builder {
        private Clock clock;
        private int maxReceiveCount = 5;

        private Builder() {
        }

        /** The time source for visibility, deduplication and sent timestamps (required). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Receives after which the queue moves a message to the dead-letter queue (its redrive policy). */
        public Builder maxReceiveCount(int n) {
            ConfigurationException.requireBetween("maxReceiveCount", n, 1, 1000);
            this.maxReceiveCount = n;
            return this;
        }

        /** No redrive policy: the queue never moves a message (the runtime's {@code runtimeRedrive} does). */
        public Builder noRedrive() {
            this.maxReceiveCount = Integer.MAX_VALUE;
            return this;
        }

        public InMemoryMailbox build() {
            if (clock == null) {
                throw new ConfigurationException("InMemoryMailbox needs a clock: call clock(VirtualClock.at(...))");
            }
            return new InMemoryMailbox(this);
        }
    }
}
