package io.fifoactors.core.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageTracingTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void acceptsExactlyAVersionZeroTraceparentInLowerCase() {
        assertTrue(MessageTracing.isValidTraceparent(VALID));
        assertTrue(MessageTracing.isValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
    }

    @Test
    void refusesEverythingElse() {
        List<String> hostile = List.of(
                "",
                "00",
                VALID.toUpperCase(),                                                   // upper case hex
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",             // another version
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",             // the forbidden version
                VALID + "-extra",                                                      // extra field
                " " + VALID.substring(1),                                              // padding
                VALID.substring(0, 54),                                                // one short
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",             // zero trace id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",             // zero parent id
                "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",             // not hex
                "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",             // wrong separators
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\u0661",        // a non-ASCII digit
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".repeat(1000));
        for (String value : hostile) {
            assertFalse(MessageTracing.isValidTraceparent(value), value);
        }
        assertFalse(MessageTracing.isValidTraceparent(null));
    }

    @Test
    void noneCarriesNothingAndItsSpansDoNothing() {
        MessageTracing none = MessageTracing.none();
        assertSame(none, MessageTracing.none());
        assertTrue(none.currentTraceparent().isEmpty());
        MessageTracing.DeliverySpan span = none.start(new MessageTracing.HandledMessage("account/a", "account",
                "Deposit", "m-1", 1, java.util.Optional.of(VALID)));
        assertTrue(span.traceparent().isEmpty());
        try (MessageTracing.Scope s = span.makeCurrent()) {
            assertSame(MessageTracing.Scope.NOOP, s);
        }
        span.end(new Outcome("account/a", "m-1", Outcome.Kind.APPLIED, "", 1));
        assertEquals("MessageTracing.none()", none.toString());
    }
}
