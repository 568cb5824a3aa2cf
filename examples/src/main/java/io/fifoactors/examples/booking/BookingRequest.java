package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;

import java.time.Duration;
import java.util.List;

/**
 * A customer's request as the producer sees it, before {@link Reservations#ingress} sends it to its booking, with the
 * producer's id (the mailbox drops a retry with the same id within its deduplication window).
 *
 * <pre>{@code
 * Reservations.ingress(system).submit(List.of(
 *         new BookRq("rq-1", "b-1", List.of("12A", "12B"), Duration.ofMinutes(10), Duration.ofMinutes(1))));
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface BookingRequest {
    /** The producer's id of this request: 1 to 128 printable ASCII characters, unique. */
    String id();

    /** The key of the booking the request is sent to. */
    String booking();

    /** The booking actor's message for this request. */
    BookingMessage toMessage();

    /** Book the seats with these keys. */
    record BookRq(String id, String booking, List<String> seats, Duration holdFor, Duration timeout)
            implements BookingRequest {
        public BookRq {
            seats = List.copyOf(seats);
        }

        @Override
        public BookingMessage toMessage() {
            List<ActorRef<SeatMessage>> refs = seats.stream().map(Reservations::seat).toList();
            return new BookingMessage.Book(refs, holdFor, timeout);
        }
    }

    /** Cancel the booking. */
    record CancelRq(String id, String booking) implements BookingRequest {
        @Override
        public BookingMessage toMessage() {
            return new BookingMessage.Cancel();
        }
    }
}
