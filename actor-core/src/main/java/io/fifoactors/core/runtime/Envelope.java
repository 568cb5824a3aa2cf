package io.fifoactors.core.runtime;

/**
 * The attribute names the runtime puts beside every message body, and the reserved system message types. A message
 * without {@link #TYPE}, or with a type its actor does not register, is dead-lettered at once.
 *
 * <pre>{@code
 * Map.of(Envelope.TYPE, "Deposit")     // what a raw producer must send beside the JSON body
 * }</pre>
 */
public final class Envelope {
    /** The message's wire type name, from the target actor type's registry. */
    public static final String TYPE = "fa-type";
    /** The sending actor's group id, for actor-to-actor messages. */
    public static final String SENDER = "fa-sender";
    /** The sender's outgoing sequence (decimal), for receiver-side deduplication and pairwise order. */
    public static final String SENDER_SEQ = "fa-sender-seq";

    /** System message: expire due deferrals and retry the stash. */
    public static final String SYSTEM_WAKE = "fa:wake";
    /** System message: resolve a parked actor; body {@code retry} or {@code skip}. */
    public static final String SYSTEM_UNPARK = "fa:unpark";

    private Envelope() {
    }
}
