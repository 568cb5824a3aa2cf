package io.fifoactors.inmemory;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link Mailbox} in memory that models an SQS FIFO queue and its FIFO dead-letter queue as AWS documents them
 * (docs/semantics.md, sections 2 and 8): message groups, a group locked while any of its messages is in flight,
 * visibility timeouts in whole seconds (a fraction rounded up, 0 to 12 hours, at most 12 hours after the receive),
 * redelivery with a growing receive count, redrive to the dead-letter queue after maxReceiveCount receives, a
 * five-minute deduplication window per message group (DeduplicationScope=messageGroup; kept after delete), receives
 * of at most 10 messages that may mix groups, sequence numbers that grow within a group, an expired receipt refused
 * by acknowledge and ignored by visibility changes, and every rule of {@link MailboxLimits} checked before anything
 * of a send is enqueued. The dead-letter queue is one FIFO queue: consumers' letters (deduplicated per group by
 * their dead-letter id) and the queue's own redrive moves, in arrival order.
 * Time comes from the injected clock; with a {@link VirtualClock}, a receive's wait time moves the clock forward to
 * the next message becoming visible (up to that wait, at most 20 seconds), as long polling would.
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

    /** SQS's longest long poll. */
    private static final long MAX_WAIT_MILLIS = 20_000;
    /** SQS's longest visibility, also the most a message stays invisible after a receive. */
    private static final long MAX_VISIBILITY_MILLIS = MailboxLimits.MAX_VISIBILITY_SECONDS * 1000;

    private final Map<String, Group> groups = new HashMap<>(); // looked up by id; nothing depends on its order
    /**
     * The groups a receive may take from now (head visible, nothing in flight), by their head's sequence number, so a
     * receive takes the oldest without looking at every group; a group leaves it when it is received from or changed.
     */
    private final TreeMap<Long, Group> ready = new TreeMap<>();
    /** When blocked groups must be looked at again: the earliest time one of their messages becomes visible. */
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
    private long wakeOrder;
    /**
     * Messages in the queue (visible or in flight), kept so {@link #size()} costs nothing under load: changed under
     * the lock, read without it (a caller polling for an empty queue must not contend with the consumers).
     */
    private volatile int queued;
    private final Map<String, Message> byReceipt = new HashMap<>();
    /** The deduplication window: each accepted message's group and id, until five minutes after its send. */
    private final DedupWindow dedup = new DedupWindow();
    /** The dead-letter queue's own window (a FIFO queue too): each letter's group and dead-letter id. */
    private final DedupWindow deadLetterDedup = new DedupWindow();
    /** The dead-letter queue, in arrival order: consumers' letters and redrive moves. */
    private final List<DlqEntry> deadLetterQueue = new ArrayList<>();
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
            MailboxLimits.check(m.message());
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

    /** One message on the dead-letter queue. */
    private record DlqEntry(DeadLetter letter, boolean movedByRedrive) {
    }

    private static final class Group {
        final String id;
        final ArrayDeque<Message> messages = new ArrayDeque<>();
        /** Its key in {@link #ready}, or -1 when it is not there. */
        long readyKey = -1;
        /**
         * The time of its earliest wake in {@link #wakes}, or {@code Long.MAX_VALUE} if none: a group has at most one
         * wake that counts, so the queue of wakes stays as small as the number of blocked groups (one per receive,
         * as before, grew by every receive until the visibility timeouts came due).
         */
        long wakeAtMillis = Long.MAX_VALUE;

        Group(String id) {
            this.id = id;
        }
    }

    private record Wake(long atMillis, long order, Group group) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            return atMillis != o.atMillis ? Long.compare(atMillis, o.atMillis) : Long.compare(order, o.order);
        }
    }

    private Group group(String id) {
        return groups.computeIfAbsent(id, Group::new);
    }

    /**
     * Puts the group where it belongs now: moves its head to the dead-letter queue if the redrive policy says so,
     * drops it if empty, else makes it ready or, while a received message of it is invisible, sets a wake for the
     * earliest time that changes.
     */
    private void evaluate(Group g, long now) {
        if (g.readyKey >= 0) {
            ready.remove(g.readyKey);
            g.readyKey = -1;
        }
        redrive(g, now);
        if (g.messages.isEmpty()) {
            groups.remove(g.id, g);
            return;
        }
        long blockedUntil = Long.MAX_VALUE;
        for (Message m : g.messages) {
            if (m.receipt == null) {
                break; // receives take a group's messages from its head, so received ones are a prefix
            }
            if (m.visibleAtMillis > now) {
                blockedUntil = Math.min(blockedUntil, m.visibleAtMillis);
            }
        }
        if (blockedUntil == Long.MAX_VALUE) {
            g.readyKey = g.messages.peekFirst().sequenceNumber;
            ready.put(g.readyKey, g);
        } else {
            if (blockedUntil < g.wakeAtMillis) { // a wake at or before it is already set: that one re-evaluates
                g.wakeAtMillis = blockedUntil;
                wakes.add(new Wake(blockedUntil, wakeOrder++, g));
            }
        }
    }

    private static final class Message {
        final OutgoingMessage out;
        private String sequence; // made on the first receive: many messages are never received in a benchmark
        final long sequenceNumber;
        final Instant sentAt;
        int receiveCount;
        long visibleAtMillis;
        long receivedAtMillis;
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
            MailboxLimits.check(m);
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
        dedup.expire(now);
        long expiry = now + DEDUP_WINDOW.toMillis();
        boolean any = false;
        Instant sentAt = null;
        for (OutgoingMessage m : copies) {
            if (!dedup.addIfAbsent(m.groupId(), m.messageId(), expiry)) {
                continue; // a duplicate inside the window: dropped, its window unchanged
            }
            any = true;
            if (sentAt == null) {
                sentAt = Instant.ofEpochMilli(now);
            }
            Group g = group(m.groupId());
            g.messages.addLast(new Message(m, nextSequence++, sentAt));
            queued++;
            if (g.messages.size() == 1) {
                evaluate(g, now);
            }
            messageCount++;
        }
        if (any) {
            notifyAll(); // a long poll may be waiting
        }
    }

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be 1 to 10, was " + maxMessages);
        }
        long visibilityMillis = 1000 * MailboxLimits.wholeSeconds("visibilityTimeout", visibilityTimeout, 0,
                MailboxLimits.MAX_VISIBILITY_SECONDS);
        long waitMillis = Math.min(MAX_WAIT_MILLIS,
                1000 * Math.min(MailboxLimits.wholeSeconds("waitTime", waitTime, 0, Long.MAX_VALUE), 20));
        List<Delivery> got = receiveNow(maxMessages, visibilityMillis);
        if (got.isEmpty() && waitMillis > 0 && clock instanceof VirtualClock virtual) {
            Instant limit = virtual.instant().plusMillis(waitMillis);
            Instant next = nextVisibleAt();
            virtual.advanceTo(next != null && next.isBefore(limit) ? next : limit);
            got = receiveNow(maxMessages, visibilityMillis);
        } else if (got.isEmpty() && waitMillis > 0) {
            got = longPoll(maxMessages, visibilityMillis, waitMillis);
        }
        return got;
    }

    /**
     * Long polling in real time: waits until a message may have become visible (a send, a retry, a visibility
     * change, or the next visibility or timer deadline) or the wait is over, as SQS's long poll does.
     */
    private List<Delivery> longPoll(int maxMessages, long visibilityMillis, long waitMillis) {
        long end = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            List<Delivery> got = receiveNow(maxMessages, visibilityMillis);
            long left = end - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                return got;
            }
            synchronized (this) {
                long next = nextWakeMillis();
                long untilNext = next == Long.MAX_VALUE ? Long.MAX_VALUE
                        : Math.max(1, (next - clock.millis()) * 1_000_000);
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

    private synchronized List<Delivery> receiveNow(int maxMessages, long visibilityMillis) {
        long now = clock.millis();
        receives++;
        deliverDue(now);
        while (!wakes.isEmpty() && wakes.peek().atMillis() <= now) {
            Wake wake = wakes.poll();
            Group g = wake.group();
            if (g.wakeAtMillis == wake.atMillis()) { // else superseded by an earlier wake, which evaluated it
                g.wakeAtMillis = Long.MAX_VALUE;
                evaluate(g, now);
            }
        }
        // the (at most maxMessages) ready groups with the oldest heads, oldest first, as SQS favours old messages
        List<Group> oldest = new ArrayList<>(Math.min(maxMessages, ready.size()));
        for (Group g : ready.values()) {
            oldest.add(g);
            if (oldest.size() == maxMessages) {
                break;
            }
        }
        List<Delivery> out = new ArrayList<>();
        for (Group g : oldest) {
            for (Message m : g.messages) {
                if (out.size() >= maxMessages || m.visibleAtMillis > now) {
                    break;
                }
                m.receiveCount++;
                m.visibleAtMillis = now + visibilityMillis;
                m.receivedAtMillis = now;
                if (m.receipt != null) {
                    byReceipt.remove(m.receipt);
                }
                m.receipt = Long.toHexString(nextReceipt++); // opaque, unique per receive; hex is cheap to make
                byReceipt.put(m.receipt, m);
                out.add(new Delivery(m.out.messageId(), m.out.groupId(), m.sequence(), m.receiveCount, m.sentAt,
                        m.out.attributes(), m.out.body().clone(), m.receipt));
            }
            evaluate(g, now);
            if (out.size() >= maxMessages) {
                break;
            }
        }
        return out;
    }

    /** A time no later than the next change a receive could see: a wake of a blocked group or a timer coming due. */
    private long nextWakeMillis() {
        long next = wakes.isEmpty() ? Long.MAX_VALUE : wakes.peek().atMillis();
        return scheduled.isEmpty() ? next : Math.min(next, scheduled.peek().dueMillis());
    }

    /** Moves the group's head messages that were received maxReceiveCount times, and are visible, to the DLQ. */
    private void redrive(Group g, long now) {
        while (!g.messages.isEmpty()) {
            Message head = g.messages.peekFirst();
            if (head.receiveCount < maxReceiveCount || head.inFlight(now) || head.visibleAtMillis > now) {
                return;
            }
            g.messages.removeFirst();
            queued--;
            if (head.receipt != null) {
                byReceipt.remove(head.receipt);
            }
            deadLetterQueue.add(new DlqEntry(new DeadLetter(head.out.groupId(), head.out.messageId(),
                    DeadLetter.idFor(head.out.groupId(), head.sequence()), head.out.attributes(), head.out.body(),
                    REDRIVE_REASON), true));
        }
    }

    @Override
    public synchronized List<Delivery> acknowledge(List<Delivery> deliveries) {
        long now = clock.millis();
        List<Delivery> stale = new ArrayList<>();
        for (Delivery d : deliveries) {
            Message m = byReceipt.get(d.receiptHandle());
            if (m == null || m.visibleAtMillis <= now) {
                // SQS FIFO refuses a receipt whose visibility timeout expired (AWS answers "The receipt handle has
                // expired": aws-sdk-js issue 1750, LocalStack PR 12442): the message comes back
                stale.add(d);
                continue;
            }
            byReceipt.remove(d.receiptHandle());
            Group g = groups.get(m.out.groupId());
            if (g != null && g.messages.remove(m)) {
                queued--;
                evaluate(g, now);
            }
        }
        notifyAll(); // the next message of a group may be receivable now
        return stale;
    }

    @Override
    public void retryAfter(List<Delivery> deliveries, Duration delay) {
        changeVisibility(deliveries, MailboxLimits.wholeSeconds("delay", delay, 0,
                MailboxLimits.MAX_VISIBILITY_SECONDS));
    }

    @Override
    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        changeVisibility(deliveries, MailboxLimits.wholeSeconds("visibility", visibility, 1,
                MailboxLimits.MAX_VISIBILITY_SECONDS));
    }

    /**
     * Both are SQS's ChangeMessageVisibility: on a stale or expired receipt it succeeds and changes nothing (AWS's
     * behaviour, LocalStack PR 9632); a message may stay invisible at most 12 hours after the receive that returned
     * it, and a change beyond that is refused (the others of the call are made).
     */
    private synchronized void changeVisibility(List<Delivery> deliveries, long seconds) {
        long now = clock.millis();
        long visibleAt = now + seconds * 1000;
        String refused = null;
        for (Delivery d : deliveries) {
            Message m = byReceipt.get(d.receiptHandle());
            if (m == null || m.visibleAtMillis <= now) {
                continue;
            }
            if (visibleAt > m.receivedAtMillis + MAX_VISIBILITY_MILLIS) {
                refused = refused == null ? d.messageId() : refused;
                continue;
            }
            m.visibleAtMillis = visibleAt;
            Group g = groups.get(m.out.groupId());
            if (g != null) {
                evaluate(g, now);
            }
        }
        if (refused != null) {
            throw new PermanentFailureException("a visibility change for message " + refused + " would keep it"
                    + " invisible more than 12 hours after its receive; SQS refuses that");
        }
        notifyAll(); // a long poll may be waiting for these
    }

    @Override
    public synchronized void deadLetter(DeadLetter letter) {
        if (!MailboxLimits.isValidId(letter.groupId())) {
            throw new PermanentFailureException("dead letter of message " + letter.messageId()
                    + " has an invalid group id");
        }
        long now = clock.millis();
        deadLetterDedup.expire(now);
        if (!deadLetterDedup.addIfAbsent(letter.groupId(), letter.deadLetterId(), now + DEDUP_WINDOW.toMillis())) {
            return; // the dead-letter queue is a FIFO queue too: a repeated id inside the window is dropped
        }
        deadLetterQueue.add(new DlqEntry(new DeadLetter(letter.groupId(), letter.messageId(), letter.deadLetterId(),
                Map.copyOf(letter.attributes()), letter.body().clone(), letter.reason()), false));
    }

    /**
     * An operator's move of dead letters back to the queue (as the AWS console's redrive or the operator tool does):
     * removes the dead-letter queue's messages that {@code which} selects (consumers' letters and redrive moves, in
     * queue order; a move carries {@link #REDRIVE_REASON}) and enqueues each, in order, in its group with its id,
     * attributes and body, under a fresh deduplication id, so none is dropped. Returns those moved.
     */
    public synchronized List<DeadLetter> moveBack(Predicate<DeadLetter> which) {
        List<DeadLetter> moved = new ArrayList<>();
        for (Iterator<DlqEntry> it = deadLetterQueue.iterator(); it.hasNext(); ) {
            DlqEntry e = it.next();
            if (which.test(e.letter())) {
                it.remove();
                moved.add(e.letter());
            }
        }
        long now = clock.millis();
        for (DeadLetter d : moved) {
            Group g = group(d.groupId());
            g.messages.addLast(new Message(new OutgoingMessage(d.groupId(), d.messageId(), d.attributes(), d.body()),
                    nextSequence++, Instant.ofEpochMilli(now)));
            queued++;
            evaluate(g, now);
            messageCount++;
        }
        if (!moved.isEmpty()) {
            notifyAll();
        }
        return moved;
    }

    /**
     * The dead-letter queue's messages put there by consumers, with their reasons, oldest first. Messages the queue
     * moved by itself (its redrive policy) are in {@link #movedByRedrive()}; both, in queue order, in
     * {@link #deadLetterQueue()}.
     */
    public synchronized List<DeadLetter> deadLetters() {
        List<DeadLetter> out = new ArrayList<>();
        for (DlqEntry e : deadLetterQueue) {
            if (!e.movedByRedrive()) {
                out.add(e.letter());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Messages the queue moved to the dead-letter queue by itself after maxReceiveCount receives: SQS adds no reason,
     * so these carry {@link #REDRIVE_REASON}.
     */
    public synchronized List<DeadLetter> movedByRedrive() {
        List<DeadLetter> out = new ArrayList<>();
        for (DlqEntry e : deadLetterQueue) {
            if (e.movedByRedrive()) {
                out.add(e.letter());
            }
        }
        return List.copyOf(out);
    }

    /** Everything on the dead-letter queue in queue order; redrive moves carry {@link #REDRIVE_REASON}. */
    public synchronized List<DeadLetter> deadLetterQueue() {
        List<DeadLetter> out = new ArrayList<>(deadLetterQueue.size());
        for (DlqEntry e : deadLetterQueue) {
            out.add(e.letter());
        }
        return List.copyOf(out);
    }

    /** Messages still in the queue, visible or in flight (not those scheduled for later). */
    public int size() {
        return queued;
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
