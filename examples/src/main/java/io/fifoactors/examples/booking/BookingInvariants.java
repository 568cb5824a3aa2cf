package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seat-booking invariants, checked on the states of a set of bookings and seats once everything has settled
 * (every message handled, every timer fired): the one place they are written, for the property test and the demo.
 * <ul>
 *   <li>nothing pending: no booking holding or confirming, no seat held (the timeouts and the hold expiries fire on
 *       their own);</li>
 *   <li>a confirmed booking has every one of its seats booked for it;</li>
 *   <li>a booked seat belongs to a confirmed booking that lists it; so a cancelled booking holds nothing, and no seat
 *       is booked by two bookings;</li>
 *   <li>a cancelled booking says why.</li>
 * </ul>
 *
 * <pre>{@code
 * List<String> problems = BookingInvariants.violations(bookings, seats);   // empty when all hold
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class BookingInvariants {
    private BookingInvariants() {
    }

    /**
     * The invariants that do not hold, in words (empty if all do).
     *
     * @param bookings every booking that may hold a seat, with its state
     * @param seats    every seat any of them may name, with its state
     */
    public static List<String> violations(Map<ActorRef<BookingMessage>, Booking> bookings,
                                          Map<ActorRef<SeatMessage>, Seat> seats) {
        List<String> out = new ArrayList<>();
        Map<ActorRef<SeatMessage>, ActorRef<BookingMessage>> confirmedBy = new HashMap<>();
        for (Map.Entry<ActorRef<BookingMessage>, Booking> e : bookings.entrySet()) {
            ActorRef<BookingMessage> ref = e.getKey();
            Booking b = e.getValue();
            String name = ref.id().key();
            switch (b.status()) {
                case HOLDING, CONFIRMING -> out.add("booking " + name + " is still " + b.status() + ": " + b);
                case CONFIRMED -> {
                    for (ActorRef<SeatMessage> s : b.seats()) {
                        Seat seat = seats.get(s);
                        if (seat == null || seat.status() != Seat.Status.BOOKED || !seat.isHeldOrBookedBy(ref)) {
                            out.add("booking " + name + " is confirmed but seat " + s.id().key() + " is " + seat);
                        }
                        ActorRef<BookingMessage> other = confirmedBy.put(s, ref);
                        if (other != null) {
                            out.add("seat " + s.id().key() + " is in two confirmed bookings: " + other.id().key()
                                    + " and " + name);
                        }
                    }
                }
                case CANCELLED -> {
                    if (b.reason().isBlank()) {
                        out.add("booking " + name + " is cancelled without a reason");
                    }
                }
                case NEW -> { }
            }
        }
        for (Map.Entry<ActorRef<SeatMessage>, Seat> e : seats.entrySet()) {
            Seat seat = e.getValue();
            String name = e.getKey().id().key();
            if (seat.status() == Seat.Status.HELD) {
                out.add("seat " + name + " is still held by " + seat.holder().id().key());
            } else if (seat.status() == Seat.Status.BOOKED) {
                Booking holder = bookings.get(seat.holder());
                if (holder == null || holder.status() != Booking.Status.CONFIRMED
                        || !holder.seats().contains(e.getKey())) {
                    out.add("seat " + name + " is booked by " + seat.holder().id().key() + ", which is " + holder);
                }
            }
        }
        return out;
    }
}
