package io.fifoactors.observability.opentelemetry;

import io.fifoactors.core.runtime.MessageTracing;
import io.fifoactors.core.runtime.Outcome;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Traces messages through the actors with the OpenTelemetry API: the {@link MessageTracing} of an
 * {@link io.fifoactors.core.runtime.ActorSystem}. A producer's current span travels with its message as a W3C
 * {@code traceparent}; each delivery an actor handles is a {@link SpanKind#CONSUMER} span, child of the span that
 * sent it (the producer's, or the sending actor's), current while the handler runs; so a deposit at account A that
 * credits account B is one trace: producer, A, B.
 *
 * <pre>{@code
 * OpenTelemetry otel = ...;   // your SDK, or GlobalOpenTelemetry.get() under the Java agent
 * ActorSystem system = ActorSystem.builder()
 *         .register(Ledger.ACCOUNT)
 *         .stateStore(store).mailbox(mailbox).scheduler(scheduler).messageKeys(keys)
 *         .tracing(OpenTelemetryTracing.create(otel))
 *         .build();
 * }</pre>
 *
 * <p>The span of a delivery is named {@code process <actor type> <message type>} and has these attributes (the
 * constants of this class): {@code fifoactors.actor.id} (the group id, {@code type/key}), {@code fifoactors.actor.type},
 * {@code fifoactors.message.type}, {@code messaging.message.id}, {@code fifoactors.message.receive_count} and
 * {@code messaging.operation.type} = {@code process} when it starts; {@code fifoactors.outcome} (the
 * {@link Outcome.Kind} in lower case: {@code applied}, {@code rejected}, {@code dead_lettered}, ...) and, when the
 * outcome has one, {@code fifoactors.outcome.detail} (a reason, never a payload) when it ends. Dead-lettered, parked
 * and retried messages end with status {@link StatusCode#ERROR}. Types the runtime does not know are reported as
 * {@code unknown}, never as the text a producer sent.
 *
 * <p>Propagation is always W3C Trace Context, whatever propagators the {@link OpenTelemetry} instance has: the wire
 * format is the runtime's ({@code traceparent} only; {@code tracestate} and baggage are not carried). Without an SDK
 * (the API's no-op implementation) no span is recorded, and a producer's context still passes through unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenTelemetryTracing implements MessageTracing {
    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION_NAME = "io.fifoactors";

    /** The actor's group id, {@code type/key}. */
    public static final AttributeKey<String> ACTOR_ID = AttributeKey.stringKey("fifoactors.actor.id");
    /** The actor type's name. */
    public static final AttributeKey<String> ACTOR_TYPE = AttributeKey.stringKey("fifoactors.actor.type");
    /** The message's wire type (or a system type such as {@code fa:timer}). */
    public static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("fifoactors.message.type");
    /** The delivery's message id (OpenTelemetry messaging convention). */
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** How often the mailbox has delivered the message, 1 on the first delivery. */
    public static final AttributeKey<Long> RECEIVE_COUNT = AttributeKey.longKey("fifoactors.message.receive_count");
    /** Always {@code process} (OpenTelemetry messaging convention). */
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** What happened to the message, the {@link Outcome.Kind} in lower case. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fifoactors.outcome");
    /** Why, for an outcome that says (at most {@value #MAX_DETAIL} characters). */
    public static final AttributeKey<String> OUTCOME_DETAIL = AttributeKey.stringKey("fifoactors.outcome.detail");

    /** The longest outcome detail recorded; longer ones are cut. */
    public static final int MAX_DETAIL = 512;

    private static final String TRACEPARENT = "traceparent";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    private OpenTelemetryTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Traces with {@code openTelemetry}'s tracer provider. */
    public static OpenTelemetryTracing create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new OpenTelemetryTracing(openTelemetry.getTracer(INSTRUMENTATION_NAME));
    }

    /**
     * Traces with {@link GlobalOpenTelemetry} as it is now: the Java agent's or an SDK registered as global, else the
     * no-op implementation (then nothing is recorded). Call it after the SDK is installed.
     */
    public static OpenTelemetryTracing global() {
        return create(GlobalOpenTelemetry.get());
    }

    @Override
    public Optional<String> currentTraceparent() {
        return traceparentOf(Context.current());
    }

    @Override
    public DeliverySpan start(HandledMessage message) {
        Context parent = message.traceparent()
                .map(tp -> W3C.extract(Context.root(), Map.of(TRACEPARENT, tp), GETTER))
                .orElse(Context.root());
        Span span = tracer.spanBuilder("process " + message.actorType() + " " + message.messageType())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(ACTOR_ID, message.actorId())
                .setAttribute(ACTOR_TYPE, message.actorType())
                .setAttribute(MESSAGE_TYPE, message.messageType())
                .setAttribute(MESSAGE_ID, message.messageId())
                .setAttribute(RECEIVE_COUNT, (long) message.receiveCount())
                .setAttribute(OPERATION_TYPE, "process")
                .startSpan();
        return new Handling(span, traceparentOf(Context.root().with(span)));
    }

    private static Optional<String> traceparentOf(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return Optional.empty();
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3C.inject(context, carrier, Map::put);
        return Optional.ofNullable(carrier.get(TRACEPARENT));
    }

    /** The kinds whose spans end in error: the message did not get through (yet). */
    private static final List<Outcome.Kind> ERRORS = List.of(Outcome.Kind.DEAD_LETTERED, Outcome.Kind.PARKED,
            Outcome.Kind.RETRIED);

    /** One delivery's span. Thread-safe (OpenTelemetry spans are). */
    private static final class Handling implements DeliverySpan {
        private final Span span;
        private final Optional<String> traceparent;

        Handling(Span span, Optional<String> traceparent) {
            this.span = span;
            this.traceparent = traceparent;
        }

        @Override
        public Optional<String> traceparent() {
            return traceparent;
        }

        @Override
        public Scope makeCurrent() {
            io.opentelemetry.context.Scope scope = Context.current().with(span).makeCurrent();
            return scope::close;
        }

        @Override
        public void end(Outcome outcome) {
            span.setAttribute(OUTCOME, outcome.kind().name().toLowerCase(Locale.ROOT));
            String detail = outcome.detail();
            if (!detail.isEmpty()) {
                span.setAttribute(OUTCOME_DETAIL, detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL)
                        : detail);
            }
            if (ERRORS.contains(outcome.kind())) {
                span.setStatus(StatusCode.ERROR, outcome.kind().name().toLowerCase(Locale.ROOT));
            }
            span.end();
        }
    }

    @Override
    public String toString() {
        return "OpenTelemetryTracing[" + tracer + "]";
    }
}
