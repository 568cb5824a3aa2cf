package io.fifoactors.examples.booking;

import io.fifoactors.examples.booking.BookingRequest.BookRq;
import io.fifoactors.examples.booking.BookingRequest.CancelRq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random booking workload, for the demo: {@code bookings} customers each book 1 to 3 of {@code seats} seats (so
 * that they compete for them), holding for {@code holdFor} and giving up after {@code timeout}; a share of them
 * cancel afterwards.
 *
 * <pre>{@code
 * List<BookingRequest> rqs = BookingWorkload.requests(50, 200, 0.1, Duration.ofMinutes(10), Duration.ofMinutes(1),
 *         new SplittableRandom(42));
 * }</pre>
 *
 * <p>Stateless and thread-safe; the random source is the caller's.
 */
public final class BookingWorkload {
    private BookingWorkload() {
    }

    /** The key of the {@code i}th seat. */
    public static String seatKey(int i) {
        return String.format("seat-%04d", i);
    }

    /** The key of the {@code i}th booking. */
    public static String bookingKey(int i) {
        return String.format("bk-%05d", i);
    }

    /** One book request per booking, in booking order, then the cancellations of {@code cancelShare} of them. */
    public static List<BookingRequest> requests(int seats, int bookings, double cancelShare, Duration holdFor,
                                                Duration timeout, SplittableRandom random) {
        List<BookingRequest> out = new ArrayList<>();
        List<BookingRequest> cancels = new ArrayList<>();
        for (int i = 0; i < bookings; i++) {
            int n = 1 + random.nextInt(Math.min(3, seats));
            List<String> keys = new ArrayList<>();
            while (keys.size() < n) {
                String k = seatKey(random.nextInt(seats));
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
            out.add(new BookRq("book-" + i, bookingKey(i), keys, holdFor, timeout));
            if (random.nextDouble() < cancelShare) {
                cancels.add(new CancelRq("cancel-" + i, bookingKey(i)));
            }
        }
        out.addAll(cancels);
        return out;
    }
}
