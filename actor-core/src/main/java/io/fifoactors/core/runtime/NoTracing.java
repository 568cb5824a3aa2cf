package io.fifoactors.core.runtime;

import java.util.Optional;

/** {@link MessageTracing#none()}: no context, no spans. Stateless; thread-safe. */
final class NoTracing implements MessageTracing {
    static final NoTracing INSTANCE = new NoTracing();

    private static final DeliverySpan NO_SPAN = new DeliverySpan() {
        @Override
        public Optional<String> traceparent() {
            return Optional.empty();
        }

        @Override
        public Scope makeCurrent() {
            return Scope.NOOP;
        }

        @Override
        public void end(Outcome outcome) {
        }
    };

    private NoTracing() {
    }

    @Override
    public Optional<String> currentTraceparent() {
        return Optional.empty();
    }

    @Override
    public DeliverySpan start(HandledMessage message) {
        return NO_SPAN;
    }

    @Override
    public String toString() {
        return "MessageTracing.none()";
    }
}
