package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorRef;
import io.fifoactors.examples.booking.BookingMessage.Book;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.inmemory.Simulation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races the test kit cannot stage (it delivers every message at once): on the simulator, every mailbox and store
 * call takes 40 to 60 ms, so the seats' answers come back well after a short timeout or a short hold has run out.
 */
class ReservationsTimingTest {
    private static final ActorRef<SeatMessage> A = Reservations.seat("12A");
    private static final ActorRef<SeatMessage> B = Reservations.seat("12B");
    private static final ActorRef<BookingMessage> B1 = Reservations.booking("b-1");

    private static Simulation slow(long seed) {
        return Simulation.builder()
                .configure(b -> b.register(Reservations.SEAT).register(Reservations.BOOKING).keptRejections(100))
                .faults(FaultPlan.builder().latency(Duration.ofMillis(40), Duration.ofMillis(60)).build())
                .consumers(2).seed(seed).build();
    }

    private static void settle(Simulation sim) {
        Simulation.RunResult r = sim.run();
        assertTrue(r.settled(), r.replayHint());
        assertEquals(List.of(), sim.mailbox().deadLetters(), r.replayHint());
    }

    private static List<String> violations(Simulation sim) {
        Map<ActorRef<BookingMessage>, Booking> bookings = new LinkedHashMap<>();
        bookings.put(B1, sim.system().inspect(Reservations.BOOKING, "b-1").state());
        Map<ActorRef<SeatMessage>, Seat> seats = new LinkedHashMap<>();
        for (ActorRef<SeatMessage> s : List.of(A, B)) {
            seats.put(s, sim.system().inspect(Reservations.SEAT, s.id().key()).state());
        }
        return BookingInvariants.violations(bookings, seats);
    }

    @Test
    void aTimeoutShorterThanTheAnswersCancelsAndTheLateHoldsAreReleased() {
        for (long seed = 1; seed <= 5; seed++) {
            try (Simulation sim = slow(seed)) {
                sim.system().tell(B1, new Book(List.of(A, B), Duration.ofDays(1), Duration.ofMillis(20)), "book-1");
                settle(sim);
                Booking b = sim.system().inspect(Reservations.BOOKING, "b-1").state();
                assertEquals(Booking.cancelled(List.of(A, B), Reservations.TIMED_OUT), b, "seed " + seed);
                // each seat granted its hold after the booking had given up, and freed it on the release behind it
                for (ActorRef<SeatMessage> s : List.of(A, B)) {
                    var seat = sim.system().inspect(Reservations.SEAT, s.id().key());
                    assertEquals(Seat.FREE, seat.state(), "seed " + seed);
                    assertEquals(2, seat.applied(), "the hold and the release, seed " + seed);
                    assertEquals(List.of(), seat.timers(), "seed " + seed);
                }
                // the booking applied the late answers without effect: Book, timeout, two Held
                assertEquals(4, sim.system().inspect(Reservations.BOOKING, "b-1").applied(), "seed " + seed);
                assertEquals(List.of(), violations(sim), "seed " + seed);
            }
        }
    }

    @Test
    void aHoldThatExpiresBeforeItsConfirmationFailsTheConfirmationAndTheBookingCompensates() {
        for (long seed = 1; seed <= 5; seed++) {
            try (Simulation sim = slow(seed)) {
                sim.system().tell(B1, new Book(List.of(A, B), Duration.ofMillis(10), Duration.ofDays(1)), "book-1");
                settle(sim);
                Booking b = sim.system().inspect(Reservations.BOOKING, "b-1").state();
                assertEquals(Booking.Status.CANCELLED, b.status(), "seed " + seed + ": " + b);
                assertTrue(b.reason().equals(Reservations.notConfirmedBy(A, Reservations.NO_HOLD))
                        || b.reason().equals(Reservations.notConfirmedBy(B, Reservations.NO_HOLD)), b.reason());
                for (ActorRef<SeatMessage> s : List.of(A, B)) {
                    var seat = sim.system().inspect(Reservations.SEAT, s.id().key());
                    assertEquals(Seat.FREE, seat.state(), "seed " + seed);
                    assertEquals(1, seat.timersFired(), "its own expiry freed it, seed " + seed);
                    assertEquals(Reservations.NO_HOLD, seat.recentRejections().get(0).reason(), "seed " + seed);
                }
                // nothing left to fire: the booking's timeout was cancelled when it gave up
                assertEquals(List.of(), sim.system().inspect(Reservations.BOOKING, "b-1").timers(), "seed " + seed);
                assertEquals(List.of(), violations(sim), "seed " + seed);
            }
        }
    }

    @Test
    void withTimeEnoughTheSameBookingConfirms() {
        try (Simulation sim = slow(7)) {
            sim.system().tell(B1, new Book(List.of(A, B), Duration.ofSeconds(5), Duration.ofSeconds(5)), "book-1");
            settle(sim);
            assertEquals(Booking.confirmed(List.of(A, B)), sim.system().inspect(Reservations.BOOKING, "b-1").state());
            assertEquals(List.of(), violations(sim));
        }
    }
}
