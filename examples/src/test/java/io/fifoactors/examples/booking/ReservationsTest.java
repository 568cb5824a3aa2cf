package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.booking.BookingMessage.Book;
import io.fifoactors.examples.booking.BookingMessage.Cancel;
import io.fifoactors.examples.booking.BookingMessage.ConfirmFailed;
import io.fifoactors.examples.booking.BookingMessage.Confirmed;
import io.fifoactors.examples.booking.BookingMessage.Held;
import io.fifoactors.examples.booking.BookingMessage.Refused;
import io.fifoactors.examples.booking.BookingMessage.TimedOut;
import io.fifoactors.examples.booking.SeatMessage.Confirm;
import io.fifoactors.examples.booking.SeatMessage.Expire;
import io.fifoactors.examples.booking.SeatMessage.Hold;
import io.fifoactors.examples.booking.SeatMessage.Release;
import io.fifoactors.testkit.ActorTestKit;
import io.fifoactors.testkit.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seats and bookings in conversation on the real runtime, through the test kit. */
class ReservationsTest {
    private static final Duration HOLD = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final ActorRef<SeatMessage> A = Reservations.seat("12A");
    private static final ActorRef<SeatMessage> B = Reservations.seat("12B");
    private static final ActorRef<SeatMessage> C = Reservations.seat("12C");
    private static final ActorRef<BookingMessage> B1 = Reservations.booking("b-1");
    private static final ActorRef<BookingMessage> B2 = Reservations.booking("b-2");

    private final ActorTestKit kit = ActorTestKit.of(Reservations.SEAT, Reservations.BOOKING);

    @SafeVarargs
    private static Book book(ActorRef<SeatMessage>... seats) {
        List<ActorRef<SeatMessage>> list = new java.util.ArrayList<>();
        for (ActorRef<SeatMessage> s : seats) {
            list.add(s);
        }
        return new Book(list, HOLD, TIMEOUT);
    }

    private Seat seat(ActorRef<SeatMessage> seat) {
        return kit.state(Reservations.SEAT, seat.id().key());
    }

    private Booking booking(ActorRef<BookingMessage> booking) {
        return kit.state(Reservations.BOOKING, booking.id().key());
    }

    private List<String> violations(ActorTestKit k, List<ActorRef<BookingMessage>> bookings,
                                    List<ActorRef<SeatMessage>> seats) {
        Map<ActorRef<BookingMessage>, Booking> bs = new java.util.LinkedHashMap<>();
        bookings.forEach(b -> bs.put(b, k.state(Reservations.BOOKING, b.id().key())));
        Map<ActorRef<SeatMessage>, Seat> ss = new java.util.LinkedHashMap<>();
        seats.forEach(s -> ss.put(s, k.state(Reservations.SEAT, s.id().key())));
        return BookingInvariants.violations(bs, ss);
    }

    @Test
    void aBookingOfFreeSeatsHoldsThenConfirmsThemAll() {
        Result r = kit.when(B1, book(A, B)).thenApplied()
                .thenSent(A, new Hold(B1, HOLD)).thenSent(B, new Hold(B1, HOLD))
                .thenSent(B1, new Held(A)).thenSent(B1, new Held(B))
                .thenSent(A, new Confirm(B1)).thenSent(B, new Confirm(B1))
                .thenSent(B1, new Confirmed(A)).thenSent(B1, new Confirmed(B))
                .thenState(Booking.confirmed(List.of(A, B)))
                .thenStateOf(A, Seat.bookedBy(B1)).thenStateOf(B, Seat.bookedBy(B1));
        assertEquals(8, r.sent().size());
        // no timer left behind: the booking's timeout and the seats' expiries were cancelled
        assertEquals(List.of(), kit.snapshot(Reservations.BOOKING, "b-1").timers());
        assertEquals(List.of(), kit.snapshot(Reservations.SEAT, "12A").timers());
        // and none fires later
        kit.advanceTime(Duration.ofDays(2)).thenSentNothing();
        assertEquals(Booking.confirmed(List.of(A, B)), booking(B1));
        assertEquals(List.of(), violations(kit, List.of(B1), List.of(A, B)));
    }

    @Test
    void aRefusedHoldCancelsTheBookingAndReleasesEverySeat() {
        kit.when(B1, book(B)).thenApplied().thenState(Booking.confirmed(List.of(B)));
        Result r = kit.when(B2, book(A, B, C)).thenApplied()
                .thenSent(B2, new Refused(B, Reservations.SEAT_TAKEN))
                .thenSent(A, new Release(B2)).thenSent(B, new Release(B2)).thenSent(C, new Release(B2))
                .thenState(Booking.cancelled(List.of(A, B, C), Reservations.refusedBy(B, Reservations.SEAT_TAKEN)));
        // the seats b-2 had held are free again; the one b-1 booked stays b-1's (its release from b-2 is a no-op)
        assertEquals(Seat.FREE, seat(A));
        assertEquals(Seat.bookedBy(B1), seat(B));
        assertEquals(Seat.FREE, seat(C));
        assertEquals(List.of(), kit.snapshot(Reservations.BOOKING, "b-2").timers());
        assertEquals(Reservations.SEAT_TAKEN, kit.snapshot(Reservations.SEAT, "12B").recentRejections().get(0)
                .reason());
        assertTrue(r.sent().stream().noneMatch(s -> s.message() instanceof Confirm), "confirmed: " + r.sent());
        assertEquals(List.of(), violations(kit, List.of(B1, B2), List.of(A, B, C)));
    }

    @Test
    void aCustomerCancellingAConfirmedBookingFreesItsSeatsForTheNext() {
        kit.when(B1, book(A, B)).thenApplied().thenState(Booking.confirmed(List.of(A, B)));
        kit.when(B1, new Cancel()).thenApplied()
                .thenSent(A, new Release(B1)).thenSent(B, new Release(B1))
                .thenState(Booking.cancelled(List.of(A, B), Reservations.CANCELLED_BY_CUSTOMER))
                .thenStateOf(A, Seat.FREE).thenStateOf(B, Seat.FREE);
        kit.when(B2, book(B)).thenApplied().thenState(Booking.confirmed(List.of(B)));
        // cancelling twice changes nothing
        kit.when(B1, new Cancel()).thenApplied().thenSentNothing();
        assertEquals(List.of(), violations(kit, List.of(B1, B2), List.of(A, B)));
    }

    @Test
    void lateAnswersAfterACancellationAreCompensatedByTheReleaseThatFollowsTheHold() {
        // the Book and the Cancel are both queued before anything runs: the booking asks for the holds and gives
        // up at once, so every seat's answer comes back to a cancelled booking
        kit.system().tell(B1, book(A, B), "book-1");
        Result r = kit.when(B1, new Cancel()).thenApplied()
                .thenSent(A, new Hold(B1, HOLD)).thenSent(A, new Release(B1))
                .thenSent(B1, new Held(A)).thenSent(B1, new Held(B))
                .thenState(Booking.cancelled(List.of(A, B), Reservations.CANCELLED_BY_CUSTOMER))
                .thenStateOf(A, Seat.FREE).thenStateOf(B, Seat.FREE);
        // the seats applied the hold, then the release: each ends free with no expiry timer left
        assertEquals(2, kit.snapshot(Reservations.SEAT, "12A").applied());
        assertEquals(List.of(), kit.snapshot(Reservations.SEAT, "12A").timers());
        // the late answers were applied without effect, and no confirmation was asked
        assertTrue(r.sent().stream().noneMatch(s -> s.message() instanceof Confirm), "confirmed: " + r.sent());
        assertEquals(List.of(), violations(kit, List.of(B1), List.of(A, B)));
        kit.when(B2, book(A, B)).thenApplied().thenState(Booking.confirmed(List.of(A, B)));
    }

    @Test
    void aCancellationBeforeTheRequestMakesTheRequestRefused() {
        kit.when(B1, new Cancel()).thenApplied()
                .thenState(Booking.cancelled(List.of(), Reservations.CANCELLED_BY_CUSTOMER));
        kit.when(B1, book(A)).thenRejected(Reservations.ALREADY_CANCELLED).thenSentNothing();
        assertEquals(Seat.FREE, seat(A));
    }

    @Test
    void aSecondRequestToTheSameBookingIsRejected() {
        kit.when(B1, book(A)).thenApplied();
        kit.when(B1, book(B)).thenRejected(Reservations.ALREADY_REQUESTED).thenSentNothing()
                .thenState(Booking.confirmed(List.of(A)));
        assertEquals(Seat.FREE, seat(B));
    }

    @Test
    void invalidRequestsAreRejectedAndAskNothing() {
        kit.when(B1, new Book(List.of(), HOLD, TIMEOUT)).thenRejected(Reservations.SEAT_COUNT).thenSentNothing();
        List<ActorRef<SeatMessage>> eleven = java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> Reservations.seat("s" + i)).toList();
        kit.when(B1, new Book(eleven, HOLD, TIMEOUT)).thenRejected(Reservations.SEAT_COUNT);
        kit.when(B1, book(A, B, A)).thenRejected(Reservations.SEAT_TWICE);
        ActorRef<SeatMessage> product = ActorRef.unchecked(ActorId.of("product", "sku-1"));
        kit.when(B1, new Book(List.of(A, product), HOLD, TIMEOUT)).thenRejected(Reservations.NOT_A_SEAT);
        kit.when(B1, new Book(List.of(A), Duration.ZERO, TIMEOUT)).thenRejected(Reservations.DURATION_OUT_OF_RANGE);
        kit.when(B1, new Book(List.of(A), HOLD, Duration.ofDays(2))).thenRejected(Reservations.DURATION_OUT_OF_RANGE);
        kit.when(B1, new Book(List.of(A), HOLD, Duration.ofMillis(-1)))
                .thenRejected(Reservations.DURATION_OUT_OF_RANGE).thenState(Booking.NEW);
        assertEquals(7, kit.snapshot(Reservations.BOOKING, "b-1").rejected());
        // a valid request still works after them
        kit.when(B1, book(A)).thenApplied().thenState(Booking.confirmed(List.of(A)));
    }

    @Test
    void answersAndTimerMessagesFromOutsideAreRejected() {
        kit.when(B1, book(A)).thenApplied();
        kit.when(B2, new Book(List.of(B), HOLD, TIMEOUT)).thenApplied();
        // a producer cannot answer for a seat, nor fire a timer, nor hold, confirm or release for a booking
        kit.when(B1, new Held(A)).thenRejected(Reservations.NOT_FROM_SEAT);
        kit.when(B1, new Refused(A, "no")).thenRejected(Reservations.NOT_FROM_SEAT);
        kit.when(B1, new Confirmed(A)).thenRejected(Reservations.NOT_FROM_SEAT);
        kit.when(B1, new ConfirmFailed(A, "no")).thenRejected(Reservations.NOT_FROM_SEAT);
        kit.when(B1, new TimedOut()).thenRejected(Reservations.NOT_FROM_TIMER);
        kit.when(C, new Hold(B1, HOLD)).thenRejected(Reservations.NOT_FROM_BOOKING).thenSentNothing();
        kit.when(B, new Confirm(B1)).thenRejected(Reservations.NOT_FROM_BOOKING);
        kit.when(A, new Release(B1)).thenRejected(Reservations.NOT_FROM_BOOKING).thenStateOf(A, Seat.bookedBy(B1));
        kit.when(B, new Expire(B2)).thenRejected(Reservations.NOT_FROM_TIMER).thenStateOf(B, Seat.bookedBy(B2));
        assertEquals(Seat.FREE, seat(C));
        assertEquals(Booking.confirmed(List.of(A)), booking(B1));
    }

    @Test
    void anAnswerFromASeatTheBookingDidNotAskForIsRejected() {
        // b-2 asks for seat A only; a Held reaching it from seat A is fine, one claiming seat B is not: the kit
        // cannot make seat B send it, but its sender check is the same as for a forged one
        kit.when(B2, book(A)).thenApplied();
        kit.when(B2, new Held(B)).thenRejected(Reservations.NOT_FROM_SEAT).thenSentNothing();
    }

    @Test
    void aMalformedRequestIsDeadLetteredNotHandled() {
        // a seat reference that is no actor group id: refused when decoded, before any handler runs
        kit.whenRaw(B1.id(), "Book", "{\"seats\":[\"no-slash\"],\"holdFor\":60,\"timeout\":60}")
                .thenDeadLettered("cannot decode");
        kit.whenRaw(B1.id(), "Book", "{\"seats\":null,\"holdFor\":60,\"timeout\":60}").thenDeadLettered();
        assertEquals(Booking.NEW, booking(B1));
    }

    // ---- timers: the booking's timeout and the seats' hold expiry

    /** Seats that never answer (a part of the system that is down): the booking must give up on its own. */
    static final ActorType<Seat, SeatMessage> SILENT_SEAT =
            ActorType.builder("seat", Seat.class, SeatMessage.class)
                    .initialState(id -> Seat.FREE)
                    .on(Hold.class, (s, m, ctx) -> Effect.none())
                    .on(Confirm.class, (s, m, ctx) -> Effect.none())
                    .on(Release.class, (s, m, ctx) -> Effect.none())
                    .on(Expire.class, (s, m, ctx) -> Effect.none())
                    .build();

    @Test
    void aBookingWhoseSeatsNeverAnswerTimesOutOnItsOwnAndReleasesThem() {
        ActorTestKit k = ActorTestKit.of(SILENT_SEAT, Reservations.BOOKING);
        k.when(B1, book(A, B)).thenApplied().thenState(Booking.holding(List.of(A, B)));
        ActorSnapshot<Booking> waiting = k.snapshot(Reservations.BOOKING, "b-1");
        assertEquals(List.of(Reservations.TIMEOUT_TIMER), waiting.timers().stream()
                .map(ActorSnapshot.TimerView::key).toList());
        assertEquals(k.now().plus(TIMEOUT), waiting.timers().get(0).due());

        k.advanceTime(TIMEOUT.minusMillis(1)).thenSentNothing();
        assertEquals(Booking.holding(List.of(A, B)), k.state(Reservations.BOOKING, "b-1"));

        Result timedOut = k.advanceTime(Duration.ofMillis(1))
                .thenSent(A, new Release(B1)).thenSent(B, new Release(B1))
                .thenStateOf(B1, Booking.cancelled(List.of(A, B), Reservations.TIMED_OUT));
        assertEquals(2, timedOut.sent().size());
        assertEquals(1, k.snapshot(Reservations.BOOKING, "b-1").timersFired());
        assertEquals(List.of(), k.snapshot(Reservations.BOOKING, "b-1").timers());
    }

    /**
     * A booking that asks for holds and then forgets them (crashed, in its author's mind): the seats must free on
     * their own. Told to cancel, it asks its seats to confirm instead: a confirmation that comes too late.
     */
    static final ActorType<Booking, BookingMessage> FORGETFUL_BOOKING =
            ActorType.builder("booking", Booking.class, BookingMessage.class)
                    .initialState(id -> Booking.NEW)
                    .on(Book.class, (b, m, ctx) -> Effect.persist(Booking.holding(m.seats()),
                            m.seats().stream().map(s -> s.tell(new Hold(ctx.self(), m.holdFor()))).toList()))
                    .on(Cancel.class, (b, m, ctx) -> Effect.none(
                            b.seats().stream().map(s -> s.tell(new Confirm(ctx.self()))).toList()))
                    .on(Held.class, (b, m, ctx) -> Effect.none())
                    .on(Refused.class, (b, m, ctx) -> Effect.none())
                    .on(Confirmed.class, (b, m, ctx) -> Effect.none())
                    .on(ConfirmFailed.class, (b, m, ctx) -> Effect.none())
                    .on(TimedOut.class, (b, m, ctx) -> Effect.none())
                    .build();

    @Test
    void anUnconfirmedHoldExpiresOnTheSeatsOwnTimer() {
        ActorTestKit k = ActorTestKit.of(Reservations.SEAT, FORGETFUL_BOOKING);
        k.when(B1, book(A, B)).thenApplied().thenSent(B1, new Held(A)).thenSent(B1, new Held(B))
                .thenStateOf(A, Seat.heldBy(B1)).thenStateOf(B, Seat.heldBy(B1));
        // held seats refuse everyone else meanwhile
        k.when(B2, book(A)).thenApplied().thenSent(B2, new Refused(A, Reservations.SEAT_TAKEN));

        k.advanceTime(HOLD.minusMillis(1)).thenSentNothing().thenStateOf(A, Seat.heldBy(B1));
        Result expired = k.advanceTime(Duration.ofMillis(1)).thenStateOf(A, Seat.FREE).thenStateOf(B, Seat.FREE);
        assertEquals(2, expired.outcomes().stream().filter(o -> o.kind() == Outcome.Kind.APPLIED).count());
        assertEquals(List.of(), k.snapshot(Reservations.SEAT, "12A").timers());
        assertEquals(1, k.snapshot(Reservations.SEAT, "12A").timersFired());
        // free again for the next booking
        k.when(Reservations.booking("b-3"), book(A)).thenApplied().thenStateOf(A, Seat.heldBy(
                Reservations.booking("b-3")));
    }

    @Test
    void aConfirmationAfterTheHoldExpiredAndAnotherBookingTookTheSeatFails() {
        ActorTestKit k = ActorTestKit.of(Reservations.SEAT, FORGETFUL_BOOKING);
        k.when(B1, book(A)).thenApplied().thenStateOf(A, Seat.heldBy(B1));
        k.advanceTime(HOLD).thenStateOf(A, Seat.FREE);
        k.when(B2, book(A)).thenApplied().thenSent(B2, new Held(A)).thenStateOf(A, Seat.heldBy(B2));
        // b-1 confirms too late: the seat stays b-2's, and b-1 hears why
        k.when(B1, new Cancel()).thenApplied()
                .thenSent(A, new Confirm(B1))
                .thenSent(B1, new ConfirmFailed(A, Reservations.NO_HOLD))
                .thenStateOf(A, Seat.heldBy(B2));
        assertEquals(Reservations.NO_HOLD, k.snapshot(Reservations.SEAT, "12A").recentRejections().get(0).reason());
    }
}
