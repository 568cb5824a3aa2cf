package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.util.Objects;

/**
 * A seat's state: free, held for one booking (until the booking confirms or releases it, or the hold expires), or
 * booked by one booking. One holder at most, by construction: a seat held or booked refuses every other booking.
 *
 * <pre>{@code
 * Seat s = Seat.heldBy(Reservations.booking("b-1"));
 * s.isHeldOrBookedBy(Reservations.booking("b-1"));   // true
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the seat's status
 * @param holder the booking holding or having booked it; null when the seat is free
 */
public record Seat(Status status, ActorRef<BookingMessage> holder) {
    /** A seat's status. */
    public enum Status { FREE, HELD, BOOKED }

    /** The initial state. */
    public static final Seat FREE = new Seat(Status.FREE, null);

    public Seat {
        Objects.requireNonNull(status, "status");
        if ((status == Status.FREE) != (holder == null)) {
            throw new IllegalArgumentException("a free seat has no holder, a held or booked one has one");
        }
    }

    public static Seat heldBy(ActorRef<BookingMessage> booking) {
        return new Seat(Status.HELD, Objects.requireNonNull(booking, "booking"));
    }

    public static Seat bookedBy(ActorRef<BookingMessage> booking) {
        return new Seat(Status.BOOKED, Objects.requireNonNull(booking, "booking"));
    }

    /** Whether {@code booking} holds or booked this seat. */
    public boolean isHeldOrBookedBy(ActorRef<BookingMessage> booking) {
        return booking.equals(holder);
    }
}
