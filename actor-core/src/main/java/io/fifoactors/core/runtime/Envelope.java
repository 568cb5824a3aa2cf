package io.fifoactors.core.runtime;

/**
 * The attribute names the runtime puts beside every message body, and the reserved system message types. A raw
 * producer sends a domain message with only {@link #TYPE} (the message's wire name); everything else is the
 * runtime's and is authenticated (see {@link MessageKeys}). A message without {@link #TYPE}, with a type its actor
 * does not register, or with a reserved attribute that does not authenticate, is dead-lettered at once with the
 * reason.
 *
 * <pre>{@code
 * Map.of(Envelope.TYPE, "Deposit")     // what a raw producer sends beside the JSON body
 * }</pre>
 */
public final class Envelope {
    /** The message's wire type name, from the target actor type's registry, or a system type. */
    public static final String TYPE = "fa-type";
    /**
     * Actor-to-actor messages: {@code "<sender group id> <sender sequence> <commit time in epoch ms>"}. The sequence
     * grows by one per message the sender commits; the commit time tells the receiver how late a re-send is.
     */
    public static final String FROM = "fa-from";
    /** The HMAC tag ({@code keyId:tag}) over group, id, type, {@link #FROM} and body. */
    public static final String AUTH = "fa-auth";
    /**
     * The W3C trace context ({@code 00-<trace id>-<parent id>-<flags>}) of the span that sent the message, when the
     * system has a {@link MessageTracing}. Not authenticated and not reserved (no {@link #RESERVED_PREFIX}): a
     * producer may set it, and a value that is not exactly a valid {@code traceparent} is ignored, never refused.
     *
     * <p>The attribute budget: a mailbox carries at most {@code Mailbox.MAX_ATTRIBUTES} (7) attributes per message
     * (SQS allows 10 and its adapter keeps 3). The runtime uses {@link #TYPE} on every message, {@link #FROM} and
     * {@link #AUTH} on its own (actor-to-actor and system) messages, and this one when tracing: at most 4 on its own
     * messages, which carry nothing else, and 2 on a producer's, which leaves it 5 of its own.
     */
    public static final String TRACEPARENT = "traceparent";
    /** Every attribute name with this prefix is the runtime's. */
    public static final String RESERVED_PREFIX = "fa-";

    /** System message: expire due deferrals and retry the stash. */
    public static final String SYSTEM_WAKE = "fa:wake";
    /** System message: resolve a parked actor; body {@code RETRY} or {@code SKIP}. */
    public static final String SYSTEM_UNPARK = "fa:unpark";
    /** System message: a timer fires; body {@code "<generation> <key>"}. */
    public static final String SYSTEM_TIMER = "fa:timer";

    private Envelope() {
    }
}
