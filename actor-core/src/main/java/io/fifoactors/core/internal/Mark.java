package io.fifoactors.core.internal;

/**
 * The highest sequence number applied from one sending actor ({@code senderKey}: a stable 64-bit hash of its group
 * id), and when it was applied.
 */
record Mark(long senderKey, long seq, long appliedAtMillis) {
    void writeTo(BinaryWriter out) {
        out.writeFixedLong(senderKey);
        out.writeVarLong(seq);
        out.writeVarLong(appliedAtMillis);
    }

    static Mark readFrom(BinaryReader in) {
        return new Mark(in.readFixedLong(), in.readVarLong(), in.readVarLong());
    }

    /**
     * FNV-1a over the UTF-16 code units, then the SplitMix64 finaliser. Persisted: it must never change. With a
     * receiver keeping marks of a few million senders over its horizon, a collision is a 1 in 10^6 event.
     */
    static long senderKey(String senderGroupId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < senderGroupId.length(); i++) {
            h ^= senderGroupId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
