package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a booking actor accepts: the customer's {@link Book} and {@link Cancel}, the seats' answers (accepted
 * only from the seat they name), and its own timeout.
 *
 * <pre>{@code
 * system.tell(Reservations.booking("b-1"),
 *         new Book(List.of(Reservations.seat("12A"), Reservations.seat("12B")), Duration.ofMinutes(10),
 *                 Duration.ofMinutes(1)), "book-b-1");
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface BookingMessage {
    /**
     * Book these seats: hold each for {@code holdFor}, and give up (releasing every hold) unless all are held and
     * confirmed within {@code timeout}.
     */
    record Book(List<ActorRef<SeatMessage>> seats, Duration holdFor, Duration timeout) implements BookingMessage {
        public Book {
            seats = List.copyOf(seats); // no null seat either: a malformed message is refused when decoded
            Objects.requireNonNull(holdFor, "holdFor");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** The customer gives up: whatever was held or booked is released. */
    record Cancel() implements BookingMessage {
    }

    /** A seat's answer to a hold: held for this booking. */
    record Held(ActorRef<SeatMessage> seat) implements BookingMessage {
        public Held {
            Objects.requireNonNull(seat, "seat");
        }
    }

    /** A seat's answer to a hold: not held, and why. */
    record Refused(ActorRef<SeatMessage> seat, String reason) implements BookingMessage {
        public Refused {
            Objects.requireNonNull(seat, "seat");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A seat's answer to a confirmation: booked for this booking. */
    record Confirmed(ActorRef<SeatMessage> seat) implements BookingMessage {
        public Confirmed {
            Objects.requireNonNull(seat, "seat");
        }
    }

    /** A seat's answer to a confirmation: the hold was gone, and why. */
    record ConfirmFailed(ActorRef<SeatMessage> seat, String reason) implements BookingMessage {
        public ConfirmFailed {
            Objects.requireNonNull(seat, "seat");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The booking's own timeout timer. */
    record TimedOut() implements BookingMessage {
    }
}
