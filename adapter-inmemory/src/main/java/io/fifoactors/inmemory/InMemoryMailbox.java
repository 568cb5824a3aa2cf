package io.fifoactors.inmemory;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.Scheduler;

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
    private final RedrivePolicy policy;
    /** Messages handed to the scheduler, by due time then arrival: moved into the queue when due. */
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>();
    private long scheduledCount;
    private final Scheduler scheduler = this::schedule;

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
    private final List<DeadLetter> movedByRedrive = new ArrayList<>();
    /** What {@link #movedByRedrive()} letters carry as their reason: SQS's redrive gives none. */
    public static final String REDRIVE_REASON = "moved by the queue's redrive policy (no reason)";
    private long nextSequence = 10_000_000_000_000_000L;
    private long nextReceipt;
    private long messageCount;
    private long sends;
    private long receives;

    private InMemoryMailbox(Builder b) {
        this.clock = b.clock;
        this.maxReceiveCount = b.maxReceiveCount;
        this.policy = b.maxReceiveCount == Integer.MAX_VALUE ? RedrivePolicy.none()
                : RedrivePolicy.afterReceives(b.maxReceiveCount);
    }

    private record Scheduled(long dueMillis, long order, OutgoingMessage message) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            return dueMillis != o.dueMillis ? Long.compare(dueMillis, o.dueMillis) : Long.compare(order, o.order);
        }
    }

    /**
     * The timer carrier of this queue: a scheduled message enters the queue (with its deduplication id) once the
     * clock reaches its due time, checked on every receive; never early.
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    private void schedule(List<ScheduledMessage> messages) {
        for (ScheduledMessage m : messages) {
            OutgoingMessage o = m.message();
            if (o.attributes().size() > MAX_ATTRIBUTES || Mailbox.sizeOf(o) > MAX_MESSAGE_BYTES) {
                throw new MessageTooLargeException(o.messageId(), Mailbox.sizeOf(o), MAX_MESSAGE_BYTES);
            }
        }
        synchronized (this) {
            for (ScheduledMessage m : messages) {
                OutgoingMessage o = m.message();
                scheduled.add(new Scheduled(m.dueAt().toEpochMilli(), scheduledCount++, new OutgoingMessage(
                        o.groupId(), o.messageId(), Map.copyOf(o.attributes()), o.body().clone())));
            }
        }
    }

    /** Moves the scheduled messages that are due into the queue. */
    private void deliverDue(long now) {
        if (scheduled.isEmpty() || scheduled.peek().dueMillis() > now) {
            return;
        }
        List<OutgoingMessage> due = new ArrayList<>();
        while (!scheduled.isEmpty() && scheduled.peek().dueMillis() <= now) {
            due.add(scheduled.poll().message());
        }
        enqueue(due.toArray(new OutgoingMessage[0]));
    }

    /** Messages handed to the scheduler and not yet due. */
    public synchronized int scheduledCount() {
        return scheduled.size();
    }

    @Override
    public RedrivePolicy redrivePolicy() {
        return policy;
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
            notifyAll(); // a long poll may be waiting
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
        } else if (got.isEmpty() && !waitTime.isZero()) {
            got = longPoll(maxMessages, visibilityTimeout, waitTime);
        }
        return got;
    }

    /**
     * Long polling in real time: waits until a message may have become visible (a send, a retry, a visibility
     * change, or the next visibility or timer deadline) or the wait is over, as SQS's long poll does.
     */
    private List<Delivery> longPoll(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        long end = System.nanoTime() + waitTime.toNanos();
        while (true) {
            List<Delivery> got = receiveNow(maxMessages, visibilityTimeout);
            long left = end - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                return got;
            }
            synchronized (this) {
                Instant next = nextVisibleAt();
                long untilNext = next == null ? Long.MAX_VALUE
                        : Math.max(1, Duration.between(clock.instant(), next).toNanos());
                long waitNanos = Math.min(left, untilNext);
                try {
                    wait(Math.max(1, waitNanos / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
        }
    }

    private synchronized List<Delivery> receiveNow(int maxMessages, Duration visibilityTimeout) {
        long now = clock.millis();
        receives++;
        deliverDue(now);
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
            movedByRedrive.add(new DeadLetter(head.out.groupId(), head.out.messageId(),
                    DeadLetter.idFor(head.out.groupId(), head.sequence()), head.out.attributes(), head.out.body(),
                    REDRIVE_REASON));
        }
    }

    @Override
    public synchronized List<Delivery> acknowledge(List<Delivery> deliveries) {
        long now = clock.millis();
        List<Delivery> stale = new ArrayList<>();
        for (Delivery d : deliveries) {
            Message m = byReceipt.get(d.receiptHandle());
            if (m == null || m.visibleAtMillis <= now) {
                // SQS FIFO refuses a receipt whose visibility timeout expired: the message comes back
                stale.add(d);
                continue;
            }
            byReceipt.remove(d.receiptHandle());
            Group g = groups.get(m.out.groupId());
            if (g != null) {
                g.messages.remove(m);
            }
        }
        notifyAll(); // the next message of a group may be receivable now
        return stale;
    }

    @Override
    public void retryAfter(List<Delivery> deliveries, Duration delay) {
        changeVisibility(deliveries, delay);
    }

    @Override
    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        changeVisibility(deliveries, visibility);
    }

    /** Both are SQS's ChangeMessageVisibility: on a stale or expired receipt it changes nothing. */
    private synchronized void changeVisibility(List<Delivery> deliveries, Duration visibility) {
        long now = clock.millis();
        long visibleAt = now + visibility.toMillis();
        for (Delivery d : deliveries) {
            Message m = byReceipt.get(d.receiptHandle());
            if (m != null && m.visibleAtMillis > now) {
                m.visibleAtMillis = visibleAt;
            }
        }
        notifyAll(); // a long poll may be waiting for these
    }

    @Override
    public synchronized void deadLetter(DeadLetter letter) {
        long now = clock.millis();
        Long until = deadLetterDedupUntil.get(letter.deadLetterId());
        if (until != null && until > now) {
            return; // the dead-letter queue is a FIFO queue too: a repeated id inside the window is dropped
        }
        deadLetterDedupUntil.put(letter.deadLetterId(), now + DEDUP_WINDOW.toMillis());
        deadLetters.add(new DeadLetter(letter.groupId(), letter.messageId(), letter.deadLetterId(),
                Map.copyOf(letter.attributes()), letter.body().clone(), letter.reason()));
    }

    /**
     * An operator's move of dead letters back to the queue (as the AWS console's redrive or the operator tool does):
     * removes the letters {@code which} selects from the dead-letter queue and enqueues each, in order, in its group
     * with its id, attributes and body, under a fresh deduplication id, so none is dropped. Returns those moved.
     */
    public synchronized List<DeadLetter> moveBack(java.util.function.Predicate<DeadLetter> which) {
        List<DeadLetter> moved = new ArrayList<>();
        for (Iterator<DeadLetter> it = deadLetters.iterator(); it.hasNext(); ) {
            DeadLetter d = it.next();
            if (which.test(d)) {
                it.remove();
                moved.add(d);
            }
        }
        long now = clock.millis();
        for (DeadLetter d : moved) {
            groups.computeIfAbsent(d.groupId(), g -> new Group()).messages.addLast(new Message(
                    new OutgoingMessage(d.groupId(), d.messageId(), d.attributes(), d.body()), nextSequence++,
                    Instant.ofEpochMilli(now)));
            messageCount++;
        }
        return moved;
    }

    /**
     * The dead-letter queue's messages put there by consumers, with their reasons, oldest first. Messages the queue
     * moved by itself (its redrive policy) are in {@link #movedByRedrive()}.
     */
    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /**
     * Messages the queue moved to the dead-letter queue by itself after maxReceiveCount receives: SQS adds no reason,
     * so these carry {@link #REDRIVE_REASON}.
     */
    public synchronized List<DeadLetter> movedByRedrive() {
        return List.copyOf(movedByRedrive);
    }

    /** Messages still in the queue, visible or in flight (not those scheduled for later). */
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
        if (!scheduled.isEmpty()) {
            next = Math.min(next, Math.max(now + 1, scheduled.peek().dueMillis()));
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
