package io.fifoactors.examples.booking;

import io.fifoactors.core.Action;
import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Seat reservations: a request across several actors with a timeout and compensation. A {@link #BOOKING} asks each
 * of its {@link #SEAT}s for a hold, giving itself as the typed reply address; when every seat has granted its hold it
 * asks each to confirm, and when every seat has confirmed it is {@link Booking.Status#CONFIRMED}. It gives up
 * ({@link Booking.Status#CANCELLED}) when a seat refuses, when a confirmation fails (the hold expired meanwhile),
 * when its own timeout timer fires first, or when the customer cancels; giving up sends a {@link Release} to every one
 * of its seats. A seat's hold expires on its own timer if no confirmation comes.
 *
 * <p>Why a release to every seat, not only to those known held: messages from one actor to another are applied in
 * the order sent (G3), so a release reaches each seat after that seat's hold. A hold granted after the booking gave
 * up (its answer, a late {@link Held}, arriving after the cancellation) is therefore already released by the time the
 * seat has applied the release; late answers need nothing more, and the booking ignores them.
 *
 * <p>The invariants, which the property test checks under faults (see {@link BookingInvariants}):
 * <ul>
 *   <li>a seat is held or booked by at most one booking at a time (one holder in its state);</li>
 *   <li>a confirmed booking has every one of its seats booked for it;</li>
 *   <li>once things settle, a cancelled booking holds nothing: no seat names it;</li>
 *   <li>nothing stays pending or held forever: the booking's timeout and the seats' expiries are timers, which fire
 *       with no outside wake.</li>
 * </ul>
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder().register(Reservations.SEAT).register(Reservations.BOOKING)...build();
 * system.tell(Reservations.booking("b-1"), new Book(List.of(Reservations.seat("12A")), Duration.ofMinutes(10),
 *         Duration.ofMinutes(1)), "book-b-1");
 * }</pre>
 *
 * <p>Stateless and thread-safe: the handlers are pure functions of the state, the message and the context (time
 * only through {@code ctx}'s timers), so a re-decision after a lost race decides the same.
 */
public final class Reservations {
    /** The most seats one booking may ask for. */
    public static final int MAX_SEATS = 10;
    /** The longest hold and the longest timeout a booking may ask for. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    /** The seat's hold expiry timer. */
    public static final String EXPIRY_TIMER = "expiry";
    /** The booking's timeout timer. */
    public static final String TIMEOUT_TIMER = "timeout";

    // Rejection reasons: kept with the actor (ActorSnapshot.recentRejections) for people to read; words, never
    // amounts or other payload, so that a record holds no customer data.
    public static final String SEAT_TAKEN = "seat is taken";
    public static final String NO_HOLD = "no hold for this booking (expired or never granted)";
    public static final String HOLD_OUT_OF_RANGE = "a hold lasts 1 ms to " + MAX_DURATION.toMillis() + " ms";
    public static final String NOT_FROM_BOOKING = "not sent by the booking it names";
    public static final String NOT_FROM_TIMER = "only the actor's own timer sends this";
    public static final String ALREADY_REQUESTED = "booking already requested";
    public static final String ALREADY_CANCELLED = "booking was cancelled";
    public static final String SEAT_COUNT = "a booking asks for 1 to " + MAX_SEATS + " seats";
    public static final String SEAT_TWICE = "a seat is listed twice";
    public static final String NOT_A_SEAT = "a listed actor is not a seat";
    public static final String DURATION_OUT_OF_RANGE = "hold and timeout must be 1 ms to " + MAX_DURATION.toMillis()
            + " ms";
    public static final String NOT_FROM_SEAT = "answer not from one of this booking's seats";

    /** Cancellation reasons (a booking's {@link Booking#reason()}). */
    public static final String TIMED_OUT = "timed out";
    public static final String CANCELLED_BY_CUSTOMER = "cancelled by the customer";

    /** Why a booking gave up because {@code seat} refused its hold. */
    public static String refusedBy(ActorRef<SeatMessage> seat, String why) {
        return "seat " + seat.id().key() + " refused the hold: " + why;
    }

    /** Why a booking gave up because {@code seat} could not confirm. */
    public static String notConfirmedBy(ActorRef<SeatMessage> seat, String why) {
        return "seat " + seat.id().key() + " could not confirm: " + why;
    }

    /** The seat actor type. */
    public static final ActorType<Seat, SeatMessage> SEAT =
            ActorType.builder("seat", Seat.class, SeatMessage.class)
                    .initialState(id -> Seat.FREE)
                    .on(Hold.class, Reservations::hold)
                    .on(Confirm.class, Reservations::confirm)
                    .on(Release.class, Reservations::release)
                    .on(Expire.class, Reservations::expire)
                    .build();

    /** The booking actor type. */
    public static final ActorType<Booking, BookingMessage> BOOKING =
            ActorType.builder("booking", Booking.class, BookingMessage.class)
                    .initialState(id -> Booking.NEW)
                    .on(Book.class, Reservations::book)
                    .on(Cancel.class, (b, c, ctx) -> cancel(b, c, ctx))
                    .on(Held.class, Reservations::held)
                    .on(Refused.class, Reservations::refused)
                    .on(Confirmed.class, Reservations::confirmed)
                    .on(ConfirmFailed.class, Reservations::confirmFailed)
                    .on(TimedOut.class, Reservations::timedOut)
                    .build();

    private Reservations() {
    }

    /** The seat with this key. */
    public static ActorRef<SeatMessage> seat(String key) {
        return SEAT.ref(key);
    }

    /** The booking with this key. */
    public static ActorRef<BookingMessage> booking(String key) {
        return BOOKING.ref(key);
    }

    /** The customers' ingress: each request sent to its booking, deduplicated by request id. */
    public static Ingress<BookingRequest> ingress(ActorSystem system) {
        return Ingress.builder(system, BookingRequest.class)
                .send(r -> booking(r.booking()).tell(r.toMessage()))
                .messageId(BookingRequest::id)
                .build();
    }

    // ------------------------------------------------------------------------------------------------ seat

    private static Effect<Seat> hold(Seat s, Hold h, ActorContext<SeatMessage> ctx) {
        if (!sentBy(ctx, h.booking().id())) {
            return Effect.reject(NOT_FROM_BOOKING);
        }
        if (outOfRange(h.holdFor())) {
            return Effect.reject(HOLD_OUT_OF_RANGE, h.booking().tell(new Refused(ctx.self(), HOLD_OUT_OF_RANGE)));
        }
        if (s.status() == Seat.Status.FREE) {
            return Effect.persist(Seat.heldBy(h.booking()), h.booking().tell(new Held(ctx.self())),
                    ctx.startTimer(EXPIRY_TIMER, h.holdFor(), new Expire(h.booking())));
        }
        if (s.isHeldOrBookedBy(h.booking())) {
            return Effect.none(h.booking().tell(new Held(ctx.self()))); // asked again: the same answer
        }
        return Effect.reject(SEAT_TAKEN, h.booking().tell(new Refused(ctx.self(), SEAT_TAKEN)));
    }

    private static Effect<Seat> confirm(Seat s, Confirm c, ActorContext<SeatMessage> ctx) {
        if (!sentBy(ctx, c.booking().id())) {
            return Effect.reject(NOT_FROM_BOOKING);
        }
        if (s.status() == Seat.Status.HELD && s.isHeldOrBookedBy(c.booking())) {
            return Effect.persist(Seat.bookedBy(c.booking()), ctx.cancelTimer(EXPIRY_TIMER),
                    c.booking().tell(new Confirmed(ctx.self())));
        }
        if (s.status() == Seat.Status.BOOKED && s.isHeldOrBookedBy(c.booking())) {
            return Effect.none(c.booking().tell(new Confirmed(ctx.self())));
        }
        return Effect.reject(NO_HOLD, c.booking().tell(new ConfirmFailed(ctx.self(), NO_HOLD)));
    }

    private static Effect<Seat> release(Seat s, Release r, ActorContext<SeatMessage> ctx) {
        if (!sentBy(ctx, r.booking().id())) {
            return Effect.reject(NOT_FROM_BOOKING);
        }
        // a release from a booking that does not hold the seat (its hold expired and another booking took it) must
        // not free it: it is a no-op
        return s.isHeldOrBookedBy(r.booking())
                ? Effect.persist(Seat.FREE, ctx.cancelTimer(EXPIRY_TIMER))
                : Effect.none();
    }

    private static Effect<Seat> expire(Seat s, Expire e, ActorContext<SeatMessage> ctx) {
        if (ctx.metadata().timerKey().isEmpty()) {
            return Effect.reject(NOT_FROM_TIMER);
        }
        // a confirmation or a release cancels the timer; a firing already under way when they did is dropped by the
        // runtime, and this check makes the handler right even without that
        return s.status() == Seat.Status.HELD && s.isHeldOrBookedBy(e.booking())
                ? Effect.persist(Seat.FREE)
                : Effect.none();
    }

    // ------------------------------------------------------------------------------------------------ booking

    private static Effect<Booking> book(Booking b, Book book, ActorContext<BookingMessage> ctx) {
        if (b.status() == Booking.Status.CANCELLED) {
            return Effect.reject(ALREADY_CANCELLED);
        }
        if (b.status() != Booking.Status.NEW) {
            return Effect.reject(ALREADY_REQUESTED);
        }
        List<ActorRef<SeatMessage>> seats = book.seats();
        if (seats.isEmpty() || seats.size() > MAX_SEATS) {
            return Effect.reject(SEAT_COUNT);
        }
        if (new HashSet<>(seats).size() != seats.size()) {
            return Effect.reject(SEAT_TWICE);
        }
        if (seats.stream().anyMatch(s -> !s.id().type().equals(SEAT.name()))) {
            // a reference read from the wire may name any actor; a Hold sent to it would fail at every attempt
            return Effect.reject(NOT_A_SEAT);
        }
        if (outOfRange(book.holdFor()) || outOfRange(book.timeout())) {
            return Effect.reject(DURATION_OUT_OF_RANGE);
        }
        List<Action> actions = new ArrayList<>();
        for (ActorRef<SeatMessage> seat : seats) {
            actions.add(seat.tell(new Hold(ctx.self(), book.holdFor())));
        }
        actions.add(ctx.startTimer(TIMEOUT_TIMER, book.timeout(), new TimedOut()));
        return Effect.persist(Booking.holding(seats), actions);
    }

    private static Effect<Booking> cancel(Booking b, Cancel c, ActorContext<BookingMessage> ctx) {
        return switch (b.status()) {
            // cancelled before the request arrived: the request will be refused
            case NEW -> Effect.persist(Booking.cancelled(List.of(), CANCELLED_BY_CUSTOMER));
            case HOLDING, CONFIRMING, CONFIRMED -> giveUp(b, CANCELLED_BY_CUSTOMER, ctx);
            case CANCELLED -> Effect.none();
        };
    }

    private static Effect<Booking> held(Booking b, Held h, ActorContext<BookingMessage> ctx) {
        if (!isOwnSeat(b, h.seat(), ctx)) {
            return Effect.reject(NOT_FROM_SEAT);
        }
        if (b.status() != Booking.Status.HOLDING) {
            // a late answer: after a cancellation the release already follows the hold at the seat (see the class
            // comment); in any other state the seat answered this hold before
            return Effect.none();
        }
        Booking next = b.withHeld(h.seat());
        if (next.held().size() < b.seats().size()) {
            return Effect.persist(next);
        }
        List<Action> confirms = new ArrayList<>();
        for (ActorRef<SeatMessage> seat : b.seats()) {
            confirms.add(seat.tell(new SeatMessage.Confirm(ctx.self())));
        }
        // listed in the booking's order, whatever the order of the answers
        return Effect.persist(new Booking(Booking.Status.CONFIRMING, b.seats(), b.seats(), List.of(), ""), confirms);
    }

    private static Effect<Booking> refused(Booking b, Refused r, ActorContext<BookingMessage> ctx) {
        if (!isOwnSeat(b, r.seat(), ctx)) {
            return Effect.reject(NOT_FROM_SEAT);
        }
        return b.status() == Booking.Status.HOLDING ? giveUp(b, refusedBy(r.seat(), r.reason()), ctx) : Effect.none();
    }

    private static Effect<Booking> confirmed(Booking b, Confirmed c, ActorContext<BookingMessage> ctx) {
        if (!isOwnSeat(b, c.seat(), ctx)) {
            return Effect.reject(NOT_FROM_SEAT);
        }
        if (b.status() != Booking.Status.CONFIRMING) {
            return Effect.none(); // cancelled meanwhile: the release follows the confirmation at the seat
        }
        Booking next = b.withConfirmed(c.seat());
        return next.confirmed().size() < b.seats().size()
                ? Effect.persist(next)
                : Effect.persist(Booking.confirmed(b.seats()), ctx.cancelTimer(TIMEOUT_TIMER));
    }

    private static Effect<Booking> confirmFailed(Booking b, ConfirmFailed f, ActorContext<BookingMessage> ctx) {
        if (!isOwnSeat(b, f.seat(), ctx)) {
            return Effect.reject(NOT_FROM_SEAT);
        }
        return b.status() == Booking.Status.CONFIRMING
                ? giveUp(b, notConfirmedBy(f.seat(), f.reason()), ctx)
                : Effect.none();
    }

    private static Effect<Booking> timedOut(Booking b, TimedOut t, ActorContext<BookingMessage> ctx) {
        if (ctx.metadata().timerKey().isEmpty()) {
            return Effect.reject(NOT_FROM_TIMER);
        }
        return b.status() == Booking.Status.HOLDING || b.status() == Booking.Status.CONFIRMING
                ? giveUp(b, TIMED_OUT, ctx)
                : Effect.none();
    }

    /** The compensation: cancelled, a release to every seat (held, booked, or not answered yet), no timeout left. */
    private static Effect<Booking> giveUp(Booking b, String reason, ActorContext<BookingMessage> ctx) {
        List<Action> actions = new ArrayList<>();
        for (ActorRef<SeatMessage> seat : b.seats()) {
            actions.add(seat.tell(new Release(ctx.self())));
        }
        actions.add(ctx.cancelTimer(TIMEOUT_TIMER));
        return Effect.persist(Booking.cancelled(b.seats(), reason), actions);
    }

    /** An answer counts only from a seat of this booking, sent by that seat itself. */
    private static boolean isOwnSeat(Booking b, ActorRef<SeatMessage> seat, ActorContext<BookingMessage> ctx) {
        return b.seats().contains(seat) && sentBy(ctx, seat.id());
    }

    private static boolean sentBy(ActorContext<?> ctx, ActorId actor) {
        return ctx.metadata().sender().filter(actor::equals).isPresent();
    }

    private static boolean outOfRange(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(MAX_DURATION) > 0;
    }
}
