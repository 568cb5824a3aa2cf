package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a seat actor accepts. Each names the booking it is about; a seat takes holds, confirmations and
 * releases only from that booking itself (the runtime authenticates senders), and an expiry only from its own timer.
 *
 * <pre>{@code
 * ActorRef<SeatMessage> seat = Reservations.seat("12A");
 * return Effect.persist(next, seat.tell(new Hold(ctx.self(), Duration.ofMinutes(10))));
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface SeatMessage {
    /** The booking this message is about: the seat's holder to be, and the address its answer goes to. */
    ActorRef<BookingMessage> booking();

    /**
     * Hold the seat for {@code booking} for {@code holdFor}: answered with {@link BookingMessage.Held} or
     * {@link BookingMessage.Refused}. An unconfirmed hold is released by the seat's own timer when it expires.
     */
    record Hold(ActorRef<BookingMessage> booking, Duration holdFor) implements SeatMessage {
        public Hold {
            Objects.requireNonNull(booking, "booking");
            Objects.requireNonNull(holdFor, "holdFor");
        }
    }

    /**
     * Turn {@code booking}'s hold into a booking: answered with {@link BookingMessage.Confirmed} or, if the hold has
     * expired or was never granted, {@link BookingMessage.ConfirmFailed}.
     */
    record Confirm(ActorRef<BookingMessage> booking) implements SeatMessage {
        public Confirm {
            Objects.requireNonNull(booking, "booking");
        }
    }

    /** Free the seat if {@code booking} holds or booked it; otherwise nothing (not answered). */
    record Release(ActorRef<BookingMessage> booking) implements SeatMessage {
        public Release {
            Objects.requireNonNull(booking, "booking");
        }
    }

    /** The seat's expiry timer: frees the seat if {@code booking} still only holds it. */
    record Expire(ActorRef<BookingMessage> booking) implements SeatMessage {
        public Expire {
            Objects.requireNonNull(booking, "booking");
        }
    }
}
