package io.fifoactors.core.internal;

import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.SequenceNumbers;
import io.fifoactors.core.port.StoredRecord;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The runtime's bookkeeping for one actor, committed atomically with its state (format 2): the commit nonce, the
 * applied-sequence mark, the outgoing counter and outbox, the recent sender marks and the head of the archive of
 * older ones, the stash, the parked message and its hold buffer, the timers, the durable attempt count of a failing
 * message, counters and the most recent rejections. See docs/semantics.md, section 4.
 *
 * <p>Mutable: a working copy confined to one group run; {@link #copy()} before changing a shared instance.
 */
final class Control {
    static final int FORMAT = 2;

    /** Random per commit attempt: tells this run's write from another's when a commit's outcome is unknown. */
    long nonce;
    String appliedSeq = SequenceNumbers.NONE;
    long outSeq;
    long applied;
    long rejected;
    long deferred;
    long deadLettered;
    long timersFired;
    /** The message whose handler failed last, the attempts counted so far, and whether one is under way. */
    String failingSeq = SequenceNumbers.NONE;
    int failedAttempts;
    boolean attemptInProgress;
    /** The receive count of the delivery when its attempt was recorded as under way. */
    int attemptReceiveCount;
    Optional<String> failingReason = Optional.empty();
    final List<OutboxEntry> outbox = new ArrayList<>();
    /** Deliveries committed as dead-lettered whose dead-letter send is not known to have happened. */
    final List<PendingDeadLetter> pendingDeadLetters = new ArrayList<>();
    /** The latest mark of each sender applied since the last spill to the archive. */
    final List<Mark> marks = new ArrayList<>();
    /** The newest archive chunk, if any. */
    Optional<ArchiveHead> archive = Optional.empty();
    final List<Stashed> stash = new ArrayList<>();
    Optional<Stashed> parked = Optional.empty();
    final List<Stashed> held = new ArrayList<>();
    long nextTimerGeneration = 1;
    final List<TimerEntry> timers = new ArrayList<>();
    final List<Rejection> recentRejections = new ArrayList<>();
    /**
     * Actors' messages this actor dead-lettered although their senders' marks cover them (a later message of the
     * sender was applied since): a copy an operator moves back is applied once, not taken for a re-send. Oldest
     * first, at most {@link #MAX_LETTERED}.
     */
    final List<Lettered> lettered = new ArrayList<>();

    /** How many dead-lettered actors' messages a record remembers (16 bytes each, only while there are some). */
    static final int MAX_LETTERED = 64;

    /**
     * Producers' messages settled on the queue's last receive (with a queue redrive policy only), as 64-bit digests of
     * their message ids, oldest first, at most {@link #MAX_LAST_RECEIVE}: if the acknowledgement then fails, the
     * queue moves the message although it was settled, and a copy an operator moves back (same id, a new sequence
     * number) is a duplicate, not a new message. Actors' messages need none: their senders' marks cover the copy.
     */
    final List<Long> settledOnLastReceive = new ArrayList<>();
    /** The length of the encoding this was decoded from (0 if new): sizes the next encoding's buffer. */
    private int decodedLength;

    /** How many settled-on-last-receive ids a record remembers (8 bytes each, only while there are some). */
    static final int MAX_LAST_RECEIVE = 32;

    /** An actor's message this actor dead-lettered: its sender's key and sequence, and when. */
    record Lettered(long senderKey, long seq, long atMillis) {
    }

    /** Where the archive starts: the newest chunk's id and when its newest mark was applied. */
    record ArchiveHead(String chunkId, long newestAppliedAtMillis) {
    }

    Control copy() {
        Control c = new Control();
        c.nonce = nonce;
        c.appliedSeq = appliedSeq;
        c.outSeq = outSeq;
        c.applied = applied;
        c.rejected = rejected;
        c.deferred = deferred;
        c.deadLettered = deadLettered;
        c.timersFired = timersFired;
        c.failingSeq = failingSeq;
        c.failedAttempts = failedAttempts;
        c.attemptInProgress = attemptInProgress;
        c.attemptReceiveCount = attemptReceiveCount;
        c.failingReason = failingReason;
        c.outbox.addAll(outbox);
        c.pendingDeadLetters.addAll(pendingDeadLetters);
        c.marks.addAll(marks);
        c.archive = archive;
        c.stash.addAll(stash);
        c.parked = parked;
        c.held.addAll(held);
        c.nextTimerGeneration = nextTimerGeneration;
        c.timers.addAll(timers);
        c.recentRejections.addAll(recentRejections);
        c.lettered.addAll(lettered);
        c.settledOnLastReceive.addAll(settledOnLastReceive);
        return c;
    }

    // ------------------------------------------------------------------------------------------------ queries

    Optional<Mark> markOf(long senderKey) {
        for (Mark m : marks) {
            if (m.senderKey() == senderKey) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Records {@code seq} as the sender's highest applied sequence. */
    void advanceMark(long senderKey, long seq, long nowMillis) {
        for (int i = 0; i < marks.size(); i++) {
            Mark m = marks.get(i);
            if (m.senderKey() == senderKey) {
                marks.set(i, new Mark(senderKey, Math.max(seq, m.seq()), nowMillis));
                return;
            }
        }
        marks.add(new Mark(senderKey, seq, nowMillis));
    }

    Optional<PendingDeadLetter> pendingDeadLetter(String seq) {
        for (PendingDeadLetter p : pendingDeadLetters) {
            if (SequenceNumbers.compare(p.seq(), seq) == 0) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    Optional<TimerEntry> timer(String key) {
        for (TimerEntry t : timers) {
            if (t.key().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The user's timers (not the runtime's own). */
    int userTimerCount() {
        int n = 0;
        for (TimerEntry t : timers) {
            if (!t.isStashTimer()) {
                n++;
            }
        }
        return n;
    }

    boolean removeTimer(String key) {
        return timers.removeIf(t -> t.key().equals(key));
    }

    void recordRejection(Rejection r, int keep) {
        rejected++;
        if (keep <= 0) {
            return;
        }
        recentRejections.add(r);
        while (recentRejections.size() > keep) {
            recentRejections.remove(0);
        }
    }

    /** Remembers that the sender's message {@code seq} was dead-lettered here, never applied. */
    void letter(long senderKey, long seq, long atMillis) {
        if (isLettered(senderKey, seq)) {
            return;
        }
        lettered.add(new Lettered(senderKey, seq, atMillis));
        while (lettered.size() > MAX_LETTERED) {
            lettered.remove(0);
        }
    }

    boolean isLettered(long senderKey, long seq) {
        for (Lettered l : lettered) {
            if (l.senderKey() == senderKey && l.seq() == seq) {
                return true;
            }
        }
        return false;
    }

    /** The sender's message {@code seq} came back and was settled: a further copy is a duplicate again. */
    void unletter(long senderKey, long seq) {
        lettered.removeIf(l -> l.senderKey() == senderKey && l.seq() == seq);
    }

    /**
     * Remembers a producer's message settled on its last receive (see {@link #settledOnLastReceive}); false if it
     * was already remembered (nothing changed).
     */
    boolean settleOnLastReceive(String messageId) {
        long digest = digest(messageId);
        if (settledOnLastReceive.contains(digest)) {
            return false;
        }
        settledOnLastReceive.add(digest);
        while (settledOnLastReceive.size() > MAX_LAST_RECEIVE) {
            settledOnLastReceive.remove(0);
        }
        return true;
    }

    /** Whether a producer's message with this id was settled on its last receive (a copy moved back by an operator). */
    boolean wasSettledOnLastReceive(String messageId) {
        return !settledOnLastReceive.isEmpty() && settledOnLastReceive.contains(digest(messageId));
    }

    /**
     * The first 8 bytes of the id's SHA-256: ids are chosen by producers, so a digest a producer could aim at another
     * message's id (a weak hash) would let it have that message dropped as a duplicate.
     */
    static long digest(String messageId) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(messageId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The record of {@code state} with this control, and the attention the two call for. */
    StoredRecord record(long version, byte[] state) {
        byte[] control = encode();
        return new StoredRecord(version, state, control, attention((long) state.length + control.length));
    }

    /** The attention a record of this control and {@code recordBytes} calls for: one rule, commit and inspection. */
    EnumSet<Attention> attention(long recordBytes) {
        EnumSet<Attention> attention = EnumSet.noneOf(Attention.class);
        if (parked.isPresent()) {
            attention.add(Attention.PARKED);
        }
        if (!failingSeq.isEmpty() && SequenceNumbers.compare(failingSeq, appliedSeq) > 0) {
            attention.add(Attention.FAILING);
        }
        if (recordBytes > Attention.LARGE_RECORD_BYTES) {
            attention.add(Attention.LARGE);
        }
        return attention;
    }

    boolean isFailing(String seq) {
        return !failingSeq.isEmpty() && SequenceNumbers.compare(failingSeq, seq) == 0;
    }

    void clearFailing() {
        failingSeq = SequenceNumbers.NONE;
        failedAttempts = 0;
        attemptInProgress = false;
        attemptReceiveCount = 0;
        failingReason = Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ format 2

    byte[] encode() {
        // sized so that a record about as large as it was needs no regrowing (one more outbox entry fits too)
        BinaryWriter out = new BinaryWriter(Math.max(256, decodedLength + decodedLength / 4 + 64));
        out.writeByte(FORMAT);
        out.writeFixedLong(nonce);
        out.writeSequence(appliedSeq);
        out.writeVarLong(outSeq);
        out.writeVarLong(applied);
        out.writeVarLong(rejected);
        out.writeVarLong(deferred);
        out.writeVarLong(deadLettered);
        out.writeVarLong(timersFired);
        out.writeSequence(failingSeq);
        out.writeVarInt(failedAttempts);
        out.writeBoolean(attemptInProgress);
        out.writeVarInt(attemptReceiveCount);
        Stashed.writeOptional(out, failingReason);
        out.writeVarInt(outbox.size());
        for (OutboxEntry e : outbox) {
            OutboxEntry.write(out, e);
        }
        out.writeVarInt(pendingDeadLetters.size());
        for (PendingDeadLetter p : pendingDeadLetters) {
            p.writeTo(out);
        }
        out.writeVarInt(marks.size());
        for (Mark m : marks) {
            m.writeTo(out);
        }
        out.writeBoolean(archive.isPresent());
        archive.ifPresent(h -> {
            out.writeString(h.chunkId());
            out.writeVarLong(h.newestAppliedAtMillis());
        });
        writeStashed(out, stash);
        out.writeBoolean(parked.isPresent());
        parked.ifPresent(p -> p.writeTo(out));
        writeStashed(out, held);
        out.writeVarLong(nextTimerGeneration);
        out.writeVarInt(timers.size());
        for (TimerEntry t : timers) {
            t.writeTo(out);
        }
        out.writeVarInt(recentRejections.size());
        for (Rejection r : recentRejections) {
            r.writeTo(out);
        }
        out.writeVarInt(lettered.size());
        for (Lettered l : lettered) {
            out.writeFixedLong(l.senderKey());
            out.writeVarLong(l.seq());
            out.writeVarLong(l.atMillis());
        }
        out.writeVarInt(settledOnLastReceive.size());
        for (long digest : settledOnLastReceive) {
            out.writeFixedLong(digest);
        }
        return out.toByteArray();
    }

    static Control decode(byte[] bytes) {
        Control c = new Control();
        if (bytes.length == 0) {
            return c;
        }
        c.decodedLength = bytes.length;
        BinaryReader in = new BinaryReader(bytes, "actor record");
        int format = in.readByte();
        if (format != FORMAT) {
            throw new MessageDecodingException("actor record has format " + format + "; this runtime reads format "
                    + FORMAT);
        }
        c.nonce = in.readFixedLong();
        c.appliedSeq = in.readSequence();
        c.outSeq = in.readVarLong();
        c.applied = in.readVarLong();
        c.rejected = in.readVarLong();
        c.deferred = in.readVarLong();
        c.deadLettered = in.readVarLong();
        c.timersFired = in.readVarLong();
        c.failingSeq = in.readSequence();
        c.failedAttempts = in.readVarInt();
        c.attemptInProgress = in.readBoolean();
        c.attemptReceiveCount = in.readVarInt();
        c.failingReason = Stashed.readOptional(in);
        int outbox = in.readCount(4);
        for (int i = 0; i < outbox; i++) {
            c.outbox.add(OutboxEntry.read(in));
        }
        int pending = in.readCount(3);
        for (int i = 0; i < pending; i++) {
            c.pendingDeadLetters.add(PendingDeadLetter.readFrom(in));
        }
        int marks = in.readCount(10);
        for (int i = 0; i < marks; i++) {
            c.marks.add(Mark.readFrom(in));
        }
        if (in.readBoolean()) {
            c.archive = Optional.of(new ArchiveHead(in.readString(), in.readVarLong()));
        }
        readStashed(in, c.stash);
        if (in.readBoolean()) {
            c.parked = Optional.of(Stashed.readFrom(in));
        }
        readStashed(in, c.held);
        c.nextTimerGeneration = in.readVarLong();
        int timers = in.readCount(5);
        for (int i = 0; i < timers; i++) {
            c.timers.add(TimerEntry.readFrom(in));
        }
        int rejections = in.readCount(4);
        for (int i = 0; i < rejections; i++) {
            c.recentRejections.add(Rejection.readFrom(in));
        }
        int lettered = in.readCount(10);
        for (int i = 0; i < lettered; i++) {
            c.lettered.add(new Lettered(in.readFixedLong(), in.readVarLong(), in.readVarLong()));
        }
        int settled = in.readCount(8);
        for (int i = 0; i < settled; i++) {
            c.settledOnLastReceive.add(in.readFixedLong());
        }
        if (!in.atEnd()) {
            throw new MessageDecodingException("actor record has trailing bytes");
        }
        return c;
    }

    private static void writeStashed(BinaryWriter out, List<Stashed> list) {
        out.writeVarInt(list.size());
        for (Stashed s : list) {
            s.writeTo(out);
        }
    }

    private static void readStashed(BinaryReader in, List<Stashed> into) {
        int n = in.readCount(8);
        for (int i = 0; i < n; i++) {
            into.add(Stashed.readFrom(in));
        }
    }
}
