package io.fifoactors.core.runtime;

import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.port.SequenceNumbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's bookkeeping for one actor, committed atomically with its state: the applied-sequence mark, the
 * outgoing counter and outbox, per-sender high-water marks, the stash, the parked message and its hold buffer,
 * counters and the most recent rejections. Mutable; confined to one runner.
 */
final class ActorControl {
    private static final byte FORMAT = 1;

    String appliedSeq = SequenceNumbers.NONE;
    long outSeq;
    final List<OutboxEntry> outbox = new ArrayList<>();
    /**
     * Per-sender high-water marks, keyed by a stable 64-bit hash of the sender's group id (16 bytes a sender in the
     * record). Kept in the order marks were last advanced: the eldest is evicted first. Held as the record's bytes.
     */
    final SenderMarks senderMarks = new SenderMarks();
    final List<Stashed> stash = new ArrayList<>();
    Stashed parked;
    final List<Stashed> held = new ArrayList<>();
    long applied;
    long rejected;
    long deferred;
    long evictedMarks;
    /** The message whose handler failed last, and how often in a row: attempts counted durably, not by SQS. */
    String failingSeq = SequenceNumbers.NONE;
    int failedAttempts;
    /** Oldest first; held as the record's bytes, decoded when iterated. */
    final Rejections recentRejections = new Rejections();

    // the sender key of the last sender looked up (the runner checks, then advances, the same sender)
    private String lastSender;
    private long lastSenderKey;

    boolean isDuplicateFromSender(String sender, long senderSeq) {
        return senderMarks.covers(keyOf(sender), senderSeq);
    }

    void advanceSenderMark(String sender, long senderSeq, int maxMarks) {
        evictedMarks += senderMarks.advance(keyOf(sender), senderSeq, maxMarks);
    }

    private long keyOf(String sender) {
        if (sender != lastSender || sender == null) { // null: fails in senderKey, as it always did
            lastSenderKey = senderKey(sender);
            lastSender = sender;
        }
        return lastSenderKey;
    }

    void recordRejection(RejectionRecord r, int keep) {
        rejected++;
        if (keep <= 0) {
            return;
        }
        recentRejections.addLast(r, keep);
    }

    /**
     * FNV-1a over the UTF-16 code units, then the SplitMix64 finaliser. Persisted: it must never change. With at
     * most a few thousand senders per actor a collision is a 1 in 10^12 event.
     */
    static long senderKey(String sender) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < sender.length(); i++) {
            h ^= sender.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    byte[] encode() {
        ControlBytes.Out out = ControlBytes.scratch();
        out.writeByte(FORMAT);
        out.writeUTF(appliedSeq);
        out.writeLong(outSeq);
        out.writeLong(applied);
        out.writeLong(rejected);
        out.writeLong(deferred);
        out.writeLong(evictedMarks);
        out.writeUTF(failingSeq);
        out.writeInt(failedAttempts);
        out.writeInt(outbox.size());
        for (OutboxEntry e : outbox) {
            out.writeLong(e.outSeq());
            out.writeUTF(e.groupId());
            out.writeUTF(e.messageId());
            writeMap(out, e.attributes());
            writeBytes(out, e.body());
        }
        senderMarks.writeTo(out);
        writeStashed(out, stash);
        out.writeBoolean(parked != null);
        if (parked != null) {
            writeStashed(out, parked);
        }
        writeStashed(out, held);
        recentRejections.writeTo(out);
        byte[] record = out.toByteArray();
        out.release();
        return record;
    }

    static ActorControl decode(byte[] bytes) {
        ActorControl c = new ActorControl();
        if (bytes.length == 0) {
            return c;
        }
        ControlBytes.In in = new ControlBytes.In(bytes);
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new MessageDecodingException("actor control record has unknown format " + format);
        }
        c.appliedSeq = in.readUTF();
        c.outSeq = in.readLong();
        c.applied = in.readLong();
        c.rejected = in.readLong();
        c.deferred = in.readLong();
        c.evictedMarks = in.readLong();
        c.failingSeq = in.readUTF();
        c.failedAttempts = in.readInt();
        int outboxSize = in.readInt();
        for (int i = 0; i < outboxSize; i++) {
            c.outbox.add(new OutboxEntry(in.readLong(), in.readUTF(), in.readUTF(), readMap(in), readBytes(in)));
        }
        int marks = Math.max(0, in.readInt()); // as format 1 always read it: a negative count is no entries
        if (marks > (bytes.length - in.position()) / SenderMarks.ENTRY_BYTES) {
            throw new MessageDecodingException("actor control record is corrupt: truncated at byte " + in.position());
        }
        c.senderMarks.wrap(bytes, in.position(), marks);
        in.skip(marks * SenderMarks.ENTRY_BYTES);
        readStashedList(in, c.stash);
        if (in.readBoolean()) {
            c.parked = readStashed(in);
        }
        readStashedList(in, c.held);
        c.recentRejections.wrap(in, bytes, Math.max(0, in.readInt()));
        return c;
    }

    private static void writeStashed(ControlBytes.Out out, List<Stashed> list) {
        out.writeInt(list.size());
        for (Stashed s : list) {
            writeStashed(out, s);
        }
    }

    private static void writeStashed(ControlBytes.Out out, Stashed s) {
        out.writeUTF(s.messageId());
        out.writeUTF(s.type());
        writeBytes(out, s.body());
        out.writeUTF(s.sender() == null ? "" : s.sender());
        out.writeLong(s.senderSeq());
        out.writeLong(s.enqueuedAtMillis());
        out.writeInt(s.receiveCount());
        out.writeLong(s.deadlineMillis());
        out.writeUTF(s.reason() == null ? "" : s.reason());
    }

    private static void readStashedList(ControlBytes.In in, List<Stashed> into) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            into.add(readStashed(in));
        }
    }

    private static Stashed readStashed(ControlBytes.In in) {
        String id = in.readUTF();
        String type = in.readUTF();
        byte[] body = readBytes(in);
        String sender = in.readUTF();
        long senderSeq = in.readLong();
        long enqueued = in.readLong();
        int receives = in.readInt();
        long deadline = in.readLong();
        String reason = in.readUTF();
        return new Stashed(id, type, body, sender.isEmpty() ? null : sender, senderSeq, enqueued, receives, deadline,
                reason.isEmpty() ? null : reason);
    }

    private static void writeMap(ControlBytes.Out out, Map<String, String> map) {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readMap(ControlBytes.In in) {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeBytes(ControlBytes.Out out, byte[] b) {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(ControlBytes.In in) {
        return in.readBytes(in.readInt());
    }
}
