package io.fifoactors.core.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * The tracing hook of the runtime (a service-provider interface): carries a W3C trace context from a producer through
 * every actor-to-actor hop, and opens one span per delivery handled. The core knows no tracing library; a binding
 * implements this interface (the {@code observability-opentelemetry} module's {@code OpenTelemetryTracing} does,
 * with the OpenTelemetry API). Without one ({@link #none()}, the default) the runtime adds nothing to any message.
 *
 * <p>What the runtime does with it:
 * <ul>
 *   <li>{@link ActorSystem#tell}, {@link ActorSystem#encode} and {@link Ingress} ask {@link #currentTraceparent()}
 *       and put the answer on the message as the {@link Envelope#TRACEPARENT} attribute;</li>
 *   <li>for each delivery it processes, it reads that attribute (checked with {@link #isValidTraceparent}: a
 *       malformed one is ignored and the delivery starts a new trace), calls {@link #start}, keeps the span current
 *       on the thread while the actor's handler runs, and ends it with the delivery's first {@link Outcome};</li>
 *   <li>messages the actor sends while handling that delivery carry the span's {@link DeliverySpan#traceparent()},
 *       so the receiving actor's span is its child and one conversation across actors is one trace.</li>
 * </ul>
 *
 * <p>Limits, by design: the attribute is not authenticated (it is not part of the message tag, and a forged one can
 * only mislead a trace, never the runtime); {@code tracestate} is not carried (one attribute of the mailbox's budget,
 * see {@link Envelope}); a message re-sent from an actor's stored outbox by a later run (after a crash or a failed
 * send) carries no trace context, nor do timer firings, wakes and unparks; messages sent by deferred or held messages
 * released later carry the context of the delivery that released them. A delivery whose group the batch never starts
 * (its start deadline passed) has no span; its redelivery has.
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder()
 *         .register(Ledger.ACCOUNT)
 *         .stateStore(store).mailbox(mailbox).scheduler(scheduler).messageKeys(keys)
 *         .tracing(OpenTelemetryTracing.create(openTelemetry))
 *         .build();
 * }</pre>
 *
 * <p>Implementations are called from the threads that process groups, concurrently: they must be thread-safe and
 * fast. An exception thrown by an implementation is ignored (the message is processed as if untraced).
 */
public interface MessageTracing {
    /**
     * The W3C {@code traceparent} of the calling thread's current span, to carry on a message sent from outside any
     * actor; empty if there is none. A value that is not a valid {@code traceparent} is not sent.
     */
    Optional<String> currentTraceparent();

    /**
     * Starts the span of handling one delivery. Called once per delivery and run, on the thread that processes its
     * group, before anything of the group is decided.
     */
    DeliverySpan start(HandledMessage message);

    /**
     * What the runtime knows of a delivery when it starts handling it. Every field is bounded and checked, never a
     * payload: a message type its actor does not register is reported as {@link #UNKNOWN}, and so is the actor type
     * of a group id that names no actor.
     *
     * @param actorId      the actor's group id ({@code type/key}), or {@link #UNKNOWN} for a group id that is not one
     * @param actorType    the actor type's name, or {@link #UNKNOWN}
     * @param messageType  the message's wire type (a registered one or a runtime system type such as
     *                     {@link Envelope#SYSTEM_TIMER}), or {@link #UNKNOWN}
     * @param messageId    the delivery's message id (the producer's or the runtime's deduplication id)
     * @param receiveCount how often the mailbox has delivered the message, 1 on the first delivery
     * @param traceparent  the incoming trace context, if the delivery carried a valid one
     */
    record HandledMessage(String actorId, String actorType, String messageType, String messageId, int receiveCount,
                          Optional<String> traceparent) {
        /** Stands for a type or an id the runtime does not know, instead of the untrusted text. */
        public static final String UNKNOWN = "unknown";

        public HandledMessage {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(actorType, "actorType");
            Objects.requireNonNull(messageType, "messageType");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(traceparent, "traceparent");
        }
    }

    /**
     * The span of one delivery. The runtime calls {@link #end} exactly once; {@link #makeCurrent} and
     * {@link #traceparent} before it, possibly several times.
     */
    interface DeliverySpan {
        /** The context to carry on messages sent while handling this delivery ({@code traceparent} format). */
        Optional<String> traceparent();

        /**
         * Makes the span current on the calling thread while an actor's handler runs (so that the handler's own
         * spans and logs join the trace); the runtime closes the scope on the same thread when the handler returns.
         */
        Scope makeCurrent();

        /**
         * Ends the span with what happened to the delivery: the first {@link Outcome} the runtime reported for it or,
         * for one that had none (a wake, an unpark, a retry of a group that failed outright), a {@link
         * Outcome.Kind#RETRIED} or {@link Outcome.Kind#APPLIED} one the runtime makes up, detail saying so.
         */
        void end(Outcome outcome);
    }

    /** A span made current; closing it restores what was current before. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        /** Closing does nothing. */
        Scope NOOP = () -> { };

        @Override
        void close();
    }

    /** Traces nothing: no attribute is added to any message and no span is started. */
    static MessageTracing none() {
        return NoTracing.INSTANCE;
    }

    /**
     * Whether {@code value} is a {@code traceparent} the runtime carries: exactly {@code 00-<32 hex>-<16 hex>-<2 hex>}
     * in lower case (version 00, 55 characters), with neither the trace id nor the parent id all zeros. Strict on
     * purpose: the value comes from producers, so anything else (other versions, upper case, extra fields, padding)
     * is ignored rather than parsed.
     */
    static boolean isValidTraceparent(String value) {
        if (value == null || value.length() != 55 || value.charAt(0) != '0' || value.charAt(1) != '0'
                || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return false;
        }
        return hex(value, 3, 35) && hex(value, 36, 52) && hex(value, 53, 55)
                && !zeros(value, 3, 35) && !zeros(value, 36, 52);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
