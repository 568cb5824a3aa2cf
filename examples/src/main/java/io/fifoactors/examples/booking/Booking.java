package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A booking's state: which seats it asked for, which have answered, and how it ended.
 *
 * <ul>
 *   <li>{@link Status#NEW}: no {@link BookingMessage.Book} yet (or only invalid ones, rejected);</li>
 *   <li>{@link Status#HOLDING}: holds asked, {@code held} lists the seats that granted theirs;</li>
 *   <li>{@link Status#CONFIRMING}: every seat held, confirmations asked, {@code confirmed} lists those done;</li>
 *   <li>{@link Status#CONFIRMED}: every seat booked for it (final, unless the customer cancels);</li>
 *   <li>{@link Status#CANCELLED}: given up, with {@code reason}; every seat was sent a release (final).</li>
 * </ul>
 *
 * <pre>{@code
 * Booking b = kit.state(Reservations.BOOKING, "b-1");
 * if (b.status() == Booking.Status.CANCELLED) log.info("booking b-1: {}", b.reason());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param reason why it was cancelled; empty otherwise
 */
public record Booking(Status status, List<ActorRef<SeatMessage>> seats, List<ActorRef<SeatMessage>> held,
                      List<ActorRef<SeatMessage>> confirmed, String reason) {
    /** A booking's status. */
    public enum Status { NEW, HOLDING, CONFIRMING, CONFIRMED, CANCELLED }

    /** The initial state. */
    public static final Booking NEW = new Booking(Status.NEW, List.of(), List.of(), List.of(), "");

    public Booking {
        Objects.requireNonNull(status, "status");
        seats = List.copyOf(seats);
        held = List.copyOf(held);
        confirmed = List.copyOf(confirmed);
        Objects.requireNonNull(reason, "reason");
    }

    /** Asking {@code seats} for holds. */
    public static Booking holding(List<ActorRef<SeatMessage>> seats) {
        return new Booking(Status.HOLDING, seats, List.of(), List.of(), "");
    }

    /** Every one of {@code seats} booked. */
    public static Booking confirmed(List<ActorRef<SeatMessage>> seats) {
        return new Booking(Status.CONFIRMED, seats, seats, seats, "");
    }

    /** Given up on {@code seats}, because of {@code reason}. */
    public static Booking cancelled(List<ActorRef<SeatMessage>> seats, String reason) {
        return new Booking(Status.CANCELLED, seats, List.of(), List.of(), reason);
    }

    /** Whether the booking has ended (confirmed or cancelled). */
    public boolean isSettled() {
        return status == Status.CONFIRMED || status == Status.CANCELLED;
    }

    Booking withHeld(ActorRef<SeatMessage> seat) {
        return new Booking(status, seats, plus(held, seat), confirmed, reason);
    }

    Booking withConfirmed(ActorRef<SeatMessage> seat) {
        return new Booking(status, seats, held, plus(confirmed, seat), reason);
    }

    Booking with(Status next) {
        return new Booking(next, seats, held, confirmed, reason);
    }

    private static List<ActorRef<SeatMessage>> plus(List<ActorRef<SeatMessage>> list, ActorRef<SeatMessage> seat) {
        if (list.contains(seat)) {
            return list;
        }
        List<ActorRef<SeatMessage>> l = new ArrayList<>(list);
        l.add(seat);
        return l;
    }
}
