package io.fifoactors.examples.booking;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.Coverage;
import io.fifoactors.examples.Fates;
import io.fifoactors.examples.QueueRedriveRuns;
import io.fifoactors.examples.booking.BookingRequest.BookRq;
import io.fifoactors.examples.booking.BookingRequest.CancelRq;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.property.Gen;
import io.fifoactors.testkit.Setup;
import io.fifoactors.testkit.SimulationProperty;
import io.fifoactors.testkit.World;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seat booking on the simulator, under random customers competing for a few seats, random ingress batches and every
 * kind of fault of {@link Setup#GEN}; holds and timeouts from 5 ms to a day, so that timers race the answers (a
 * simulated call takes 1 to 5 ms; a stall 45 s or 7 min; an outage up to 2 min). Checked once everything settled:
 * <ul>
 *   <li>the invariants ({@link BookingInvariants}): nothing pending, a confirmed booking has all its seats booked for
 *       it, a booked seat belongs to a confirmed booking that lists it, so no seat in two bookings and a cancelled
 *       booking holds nothing; with no outside wake (the timers fire on their own), unless the queue moved a
 *       message by itself: its outbox then waits for the actor's next activation, and every actor is woken first;</li>
 *   <li>every request handled once, in order: a booking ends as its requests say (a cancelled one stays cancelled;
 *       a second request is refused; an invalid one is refused with its reason and holds nothing);</li>
 *   <li>liveness: a booking whose seats nobody else asks for, with a day to hold and to wait, is confirmed;</li>
 *   <li>malformed requests are dead-lettered.</li>
 * </ul>
 * An actor a well-formed message of which the faults dead-lettered or the queue moved is left out of the checks, with
 * the actors it deals with: a lost release legitimately leaves a seat booked (see {@link Fates}).
 */
class BookingPropertiesTest {
    static final List<Duration> DURATIONS = List.of(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofMinutes(1), Duration.ofDays(1));
    static final int LONG = DURATIONS.size() - 1;
    /** Customers; up to 20 requests of theirs compete for 1 to 5 seats. */
    static final int BOOKINGS = 6;

    enum Kind { BOOK, CANCEL, INVALID, MALFORMED, LONELY }

    enum After { NOTHING, SUBMIT, SUBMIT_AND_RUN, SUBMIT_TWICE }

    record Op(Kind kind, int booking, List<Integer> seats, int hold, int timeout, After after) {
    }

    record Workload(int seats, List<Op> ops) {
    }

    /** A request a broken producer sends: dead-lettered at once. */
    record Malformed(String id, String booking, String type, String body) {
    }

    record Plan(List<List<BookingRequest>> batches, List<List<Malformed>> malformed, List<After> afters,
                List<BookingRequest> all, List<String> seats, List<String> bookings) {
    }

    static Gen<Op> op(int seats) {
        Gen<Kind> kinds = Gen.frequency(Gen.weighted(12, Kind.BOOK), Gen.weighted(3, Kind.CANCEL),
                Gen.weighted(1, Kind.INVALID), Gen.weighted(1, Kind.MALFORMED), Gen.weighted(1, Kind.LONELY));
        Gen<Integer> duration = Gen.frequency(Gen.weighted(2, 0), Gen.weighted(2, 1), Gen.weighted(2, 2),
                Gen.weighted(2, 3), Gen.weighted(3, LONG));
        Gen<After> after = Gen.frequency(Gen.weighted(8, After.NOTHING), Gen.weighted(2, After.SUBMIT),
                Gen.weighted(3, After.SUBMIT_AND_RUN), Gen.weighted(1, After.SUBMIT_TWICE));
        return Gen.combine(kinds, Gen.integers(0, BOOKINGS - 1), Gen.integers(0, seats - 1).list(1, 3), duration,
                duration, after, Op::new);
    }

    static final Gen<Workload> WORKLOADS = Gen.integers(1, 5).flatMap(n -> op(n).list(1, 20)
            .map(ops -> new Workload(n, ops)));

    static String seat(int i) {
        return "seat-" + i;
    }

    static String booking(int i) {
        return "b-" + i;
    }

    static Plan plan(Workload w) {
        List<List<BookingRequest>> batches = new ArrayList<>();
        List<List<Malformed>> malformed = new ArrayList<>();
        List<After> afters = new ArrayList<>();
        List<BookingRequest> all = new ArrayList<>();
        List<String> seats = new ArrayList<>();
        for (int i = 0; i < w.seats(); i++) {
            seats.add(seat(i));
        }
        List<String> bookings = new ArrayList<>();
        int customers = Math.max(BOOKINGS, w.ops().stream().mapToInt(o -> o.booking() + 1).max().orElse(0));
        for (int i = 0; i < customers; i++) {
            bookings.add(booking(i));
        }
        List<BookingRequest> batch = new ArrayList<>();
        List<Malformed> bad = new ArrayList<>();
        for (int k = 0; k < w.ops().size(); k++) {
            Op op = w.ops().get(k);
            String id = "rq-" + k;
            String b = booking(op.booking());
            List<String> keys = op.seats().stream().map(BookingPropertiesTest::seat).toList();
            switch (op.kind()) {
                case BOOK -> batch.add(new BookRq(id, b, keys, DURATIONS.get(op.hold()), DURATIONS.get(op.timeout())));
                case INVALID -> batch.add(new BookRq(id, b, keys, DURATIONS.get(op.hold()), Duration.ZERO));
                case CANCEL -> batch.add(new CancelRq(id, b));
                case LONELY -> {
                    // a seat nobody else asks for, a day to hold and to wait: the liveness case
                    String own = "solo-" + k;
                    seats.add(own);
                    batch.add(new BookRq(id, b, List.of(own), DURATIONS.get(LONG), DURATIONS.get(LONG)));
                }
                case MALFORMED -> bad.add(op.hold() % 2 == 0
                        ? new Malformed(id, b, "Book", "{\"seats\":[\"no-slash\"],\"holdFor\":1,\"timeout\":1}")
                        : new Malformed(id, b, "Reserve", "{}"));
            }
            if (op.after() != After.NOTHING) {
                all.addAll(batch);
                batches.add(batch);
                malformed.add(bad);
                afters.add(op.after());
                batch = new ArrayList<>();
                bad = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() || !bad.isEmpty()) {
            all.addAll(batch);
            batches.add(batch);
            malformed.add(bad);
            afters.add(After.SUBMIT_AND_RUN);
        }
        return new Plan(batches, malformed, afters, all, seats, bookings);
    }

    private final Coverage coverage = new Coverage("booking");

    @Test
    void seatsAreNeverDoubleBookedAndEveryBookingSettles() {
        SimulationProperty.forAll(WORKLOADS)
                .actors(b -> b.register(Reservations.SEAT).register(Reservations.BOOKING).keptRejections(1000))
                .check(this::run);
        coverage.require(List.of("confirmed", "cancelled: timed out", "cancelled: a seat refused",
                "cancelled: a confirmation failed", "cancelled by the customer", "confirmed (liveness)",
                "request refused: already requested", "request refused: invalid"));
    }

    /**
     * The same, with the runtime's record cache, and a queue whose redrive policy moves a message after 3 to 5
     * receives (the runtime's crash check and attempts at 1 to allow it), so that messages are lost to the
     * dead-letter queue in many tries: the actors that did not lose one must still be right.
     */
    @Test
    void theActorsThatLostNoMessageStayRightWhenOthersDid() {
        eager(SimulationProperty.forAll(WORKLOADS).setups(QueueRedriveRuns.SETUPS))
                .tries(Math.max(50, Coverage.tries() / 5))
                .check(this::run);
        coverage.require(List.of("some actors left out (lost a message)", "confirmed", "cancelled: timed out"));
    }

    private static <W> SimulationProperty<W> eager(SimulationProperty<W> p) {
        return QueueRedriveRuns.eager(p, b -> b.register(Reservations.SEAT).register(Reservations.BOOKING));
    }

    /**
     * What the second property found, kept as they were shrunk. Both were flaws of this test, not of the booking:
     * a seat's expiry timer firing dead-lettered (the consumer died while handling it, on its only attempt) left the
     * seat held for good, and "nothing pending" was checked before leaving out the actors that lost a message; a
     * request dead-lettered and moved back by the operator came after a later one, and the request-order check did
     * not allow for it.
     */
    @Test
    void regressions() {
        replay(2, "BOOK 0 0,0 0 0 NOTHING; CANCEL 1 0 0 0 NOTHING; BOOK 0 0,1 0 0 NOTHING; BOOK 0 0 0 0 NOTHING;"
                        + " CANCEL 2 0 0 0 NOTHING; BOOK 0 0 0 0 NOTHING; CANCEL 3 0 0 0 NOTHING; BOOK 0 0 0 0 NOTHING",
                new Setup(5, 10, FaultPlan.builder().crashRate(0.016654386315781984)
                        .outages(0.008744035647351713, Duration.ofSeconds(5), Duration.ofMinutes(2))
                        .staleReadRate(0.3).build(), 4, 7877584849586488430L));
        replay(1, "BOOK 0 0,0 0 0 NOTHING; BOOK 4 0 0 4 NOTHING; BOOK 1 0 0 0 SUBMIT_AND_RUN;"
                        + " BOOK 0 0,0 0 0 SUBMIT_AND_RUN; INVALID 0 0 0 0 NOTHING; BOOK 1 0 0 0 SUBMIT_AND_RUN;"
                        + " BOOK 2 0,0 0 0 NOTHING; BOOK 0 0 0 0 NOTHING; BOOK 3 0,0 0 0 NOTHING; BOOK 1 0 0 0 NOTHING;"
                        + " BOOK 0 0 0 0 NOTHING; BOOK 4 0 0 0 NOTHING; BOOK 7 0 0 0 NOTHING; BOOK 3 0 4 0 NOTHING;"
                        + " BOOK 2 0,0 0 0 NOTHING",
                new Setup(4, 6, FaultPlan.builder().crashRate(0.018876124529644617).transientRate(0.05)
                        .stallRate(0.005554226995185243).staleReadRate(0.3).operatorRedrive(Duration.ofMinutes(10))
                        .build(), 5, 3736910424711129590L));
        replay(1, "BOOK 1 0,0 0 0 NOTHING; BOOK 1 0 0 4 NOTHING",
                new Setup(6, 2, FaultPlan.builder().transientRate(0.03602188852866995)
                        .stallRate(0.016102508099703372).stall(Duration.ofSeconds(45)).staleReadRate(0.3)
                        .outages(1.1102230246251566E-18, Duration.ofSeconds(5), Duration.ofMinutes(2))
                        .operatorRedrive(Duration.ofMinutes(10)).build(), 3, -6916403127734239232L));
    }

    /** Checks one workload ("KIND booking seat,seat hold timeout AFTER; ...") as the second property does. */
    private void replay(int seats, String ops, Setup setup) {
        List<Op> list = new ArrayList<>();
        for (String op : ops.split(";")) {
            String[] f = op.trim().split(" ");
            list.add(new Op(Kind.valueOf(f[0]), Integer.parseInt(f[1]),
                    Arrays.stream(f[2].split(",")).map(Integer::valueOf).toList(), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), After.valueOf(f[5])));
        }
        eager(SimulationProperty.forAll(Gen.constant(new Workload(seats, list))).setups(Gen.constant(setup)))
                .tries(1).check(this::run);
    }

    void run(Workload workload, World world) {
        Plan plan = plan(workload);
        Ingress<BookingRequest> ingress = Reservations.ingress(world.simulation().system());
        for (int i = 0; i < plan.batches().size(); i++) {
            submit(world, ingress, plan, i);
            After after = plan.afters().get(i);
            if (after == After.SUBMIT_TWICE) {
                submit(world, ingress, plan, i); // a producer retry inside the deduplication window
            }
            if (after == After.SUBMIT_AND_RUN || i == plan.batches().size() - 1) {
                world.runUntilQuiet();
            }
        }
        // the timeouts and the hold expiries are timers: once the run is over, nothing may be pending, with no wake
        if (world.movedByQueueRedrive().isEmpty()) {
            Set<String> excluded = excluded(world, plan, snapshots(world, plan.seats(), Reservations.SEAT),
                    snapshots(world, plan.bookings(), Reservations.BOOKING), Fates.of(world));
            List<String> pending = new ArrayList<>();
            for (String s : plan.seats()) {
                if (excluded.contains(s)) {
                    continue;
                }
                Seat seat = world.state(Reservations.SEAT, s);
                if (seat.status() == Seat.Status.HELD) {
                    pending.add(s + " " + seat);
                }
            }
            for (String b : plan.bookings()) {
                if (excluded.contains(b)) {
                    continue;
                }
                Booking bk = world.state(Reservations.BOOKING, b);
                if (bk.status() == Booking.Status.HOLDING || bk.status() == Booking.Status.CONFIRMING) {
                    pending.add(b + " " + bk);
                }
            }
            assertEquals(List.of(), pending, "pending with no wake: " + world.setup() + "; " + Fates.of(world));
        }
        // a message the queue moved after its commit leaves its outbox (holds, releases, the timeout timer) for the
        // actor's next activation: the operator then wakes every actor. Nothing else strands an outbox.
        List<ActorId> all = new ArrayList<>();
        plan.seats().forEach(k -> all.add(Reservations.seat(k).id()));
        plan.bookings().forEach(k -> all.add(Reservations.booking(k).id()));
        QueueRedriveRuns.wakeAllIfTheQueueMoved(world, all);
        check(world, plan);
    }

    private static void submit(World world, Ingress<BookingRequest> ingress, Plan plan, int i) {
        ingress.submit(plan.batches().get(i));
        for (Malformed m : plan.malformed().get(i)) {
            world.sendRaw(Reservations.booking(m.booking()).id(), m.id(), m.type(),
                    m.body().getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private void check(World world, Plan plan) {
        Fates fates = Fates.of(world);
        String context = world.setup() + "; " + fates + "; " + world.lastRun();
        Map<String, ActorSnapshot<Seat>> seats = snapshots(world, plan.seats(), Reservations.SEAT);
        Map<String, ActorSnapshot<Booking>> bookings = snapshots(world, plan.bookings(), Reservations.BOOKING);
        for (Malformed m : plan.malformed().stream().flatMap(List::stream).toList()) {
            String group = Reservations.booking(m.booking()).id().groupId();
            assertTrue(fates.everDead(group, m.id()), "malformed request " + m + " not dead-lettered; " + context);
        }

        Set<String> excluded = excluded(world, plan, seats, bookings, fates);
        if (!excluded.isEmpty()) {
            coverage.count("some actors left out (lost a message)");
        }

        Map<ActorRef<BookingMessage>, Booking> bs = new LinkedHashMap<>();
        bookings.forEach((k, s) -> {
            if (!excluded.contains(k)) {
                bs.put(Reservations.booking(k), s.state());
            }
        });
        Map<ActorRef<SeatMessage>, Seat> ss = new LinkedHashMap<>();
        seats.forEach((k, s) -> {
            if (!excluded.contains(k)) {
                ss.put(Reservations.seat(k), s.state());
            }
        });
        assertEquals(List.of(), BookingInvariants.violations(bs, ss), context);

        // each booking ends as its requests, handled once and in order, say; unless one of its requests was
        // dead-lettered (and maybe moved back by the operator, so handled late, out of order)
        Map<String, Long> malformedAt = new LinkedHashMap<>();
        plan.malformed().stream().flatMap(List::stream).forEach(m -> malformedAt.merge(m.booking(), 1L, Long::sum));
        for (String b : plan.bookings()) {
            ActorSnapshot<Booking> snap = bookings.get(b);
            if (excluded.contains(b) || snap.deadLettered() > malformedAt.getOrDefault(b, 0L)) {
                continue;
            }
            checkRequests(b, snap, plan, context);
        }
    }

    /**
     * Actors that lost a message: a well-formed letter still in the dead-letter queue or moved by the queue names its
     * receiver and its sender; a record counting more dead letters than the malformed requests and the operator's
     * moves can explain means one whose letter is gone. A lost release leaves a seat booked, a lost timer firing a
     * booking waiting or a seat held: such actors are left out of the checks, with every actor they deal with (a
     * booking, the seats it asked for; a seat, the bookings that asked for it), to a fixed point. Letters
     * dead-lettered and moved back are only late, which the protocol tolerates: they are not left out.
     */
    private static Set<String> excluded(World world, Plan plan, Map<String, ActorSnapshot<Seat>> seats,
                                        Map<String, ActorSnapshot<Booking>> bookings, Fates fates) {
        Map<String, Long> malformedAt = new LinkedHashMap<>();
        Set<String> malformedIds = new HashSet<>();
        for (Malformed m : plan.malformed().stream().flatMap(List::stream).toList()) {
            malformedAt.merge(m.booking(), 1L, Long::sum);
            malformedIds.add(m.id());
        }
        Set<String> touched = new HashSet<>();
        List<DeadLetter> lost = new ArrayList<>(fates.deadLetters());
        lost.addAll(fates.movedLetters());
        for (DeadLetter d : lost) {
            if (malformedIds.contains(d.messageId())) {
                continue;
            }
            touched.add(ActorId.fromGroupId(d.groupId()).key());
            String from = d.attributes().get(Envelope.FROM);
            if (from != null) {
                touched.add(ActorId.fromGroupId(from.split(" ")[0]).key());
            }
        }
        long moves = world.lastRun().operatorMoves();
        seats.forEach((k, s) -> {
            if (s.deadLettered() > moves) {
                touched.add(k);
            }
        });
        bookings.forEach((k, b) -> {
            if (b.deadLettered() > malformedAt.getOrDefault(k, 0L) + moves) {
                touched.add(k);
            }
        });
        Map<String, Set<String>> asked = new LinkedHashMap<>(); // booking -> the seats any of its requests named
        for (BookingRequest r : plan.all()) {
            if (r instanceof BookRq b) {
                asked.computeIfAbsent(b.booking(), x -> new HashSet<>()).addAll(b.seats());
            }
        }
        Set<String> excluded = new HashSet<>(touched);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<String, Set<String>> e : asked.entrySet()) {
                boolean linked = excluded.contains(e.getKey()) || e.getValue().stream().anyMatch(excluded::contains);
                if (linked && (excluded.add(e.getKey()) | excluded.addAll(e.getValue()))) {
                    grew = true;
                }
            }
        }
        return excluded;
    }

    private static <S> Map<String, ActorSnapshot<S>> snapshots(World world, List<String> keys,
                                                                io.fifoactors.core.ActorType<S, ?> type) {
        Map<String, ActorSnapshot<S>> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, world.snapshot(type, k));
        }
        return out;
    }

    private void checkRequests(String b, ActorSnapshot<Booking> snap, Plan plan, String context) {
        List<BookingRequest> mine = plan.all().stream().filter(r -> r.booking().equals(b)).toList();
        Booking state = snap.state();
        Map<String, String> why = new LinkedHashMap<>();
        snap.recentRejections().forEach(r -> why.put(r.messageId(), r.reason()));
        String where = b + " " + state + " after " + mine + ", rejections " + why + "; " + context;
        // the model: what the requests alone decide (the seats' answers and the timers do the rest)
        boolean requested = false;
        boolean cancelled = false;
        BookRq first = null;
        for (BookingRequest r : mine) {
            String reason = why.get(r.id());
            if (r instanceof CancelRq) {
                cancelled = true;
                assertEquals(null, reason, "a cancellation is never refused: " + where);
            } else if (r instanceof BookRq book) {
                if (cancelled) {
                    assertEquals(Reservations.ALREADY_CANCELLED, reason, where);
                } else if (requested) {
                    // the booking may have given up on its own meanwhile
                    assertTrue(Reservations.ALREADY_REQUESTED.equals(reason)
                            || Reservations.ALREADY_CANCELLED.equals(reason), where);
                    coverage.count("request refused: already requested");
                } else if (!valid(book)) {
                    assertTrue(reason != null && !reason.startsWith("booking"), "an invalid request accepted: "
                            + book + "; " + where);
                    coverage.count("request refused: invalid");
                } else {
                    assertEquals(null, reason, "a valid first request refused: " + where);
                    requested = true;
                    first = book;
                }
            }
        }
        assertEquals(snap.rejected(), why.size(), where);
        if (!requested) {
            assertEquals(cancelled ? Booking.cancelled(List.of(), Reservations.CANCELLED_BY_CUSTOMER) : Booking.NEW,
                    state, where);
            return;
        }
        BookRq accepted = first;
        List<ActorRef<SeatMessage>> refs = accepted.seats().stream().map(Reservations::seat).toList();
        assertEquals(refs, state.seats(), where);
        if (state.status() == Booking.Status.CONFIRMED) {
            assertTrue(!cancelled, "confirmed though cancelled: " + where);
            coverage.count("confirmed");
        } else if (state.status() == Booking.Status.CANCELLED) {
            String reason = state.reason();
            if (reason.equals(Reservations.CANCELLED_BY_CUSTOMER)) {
                assertTrue(cancelled, where);
                coverage.count("cancelled by the customer");
            } else if (reason.equals(Reservations.TIMED_OUT)) {
                coverage.count("cancelled: timed out");
            } else if (refs.stream().anyMatch(s -> reason.equals(Reservations.refusedBy(s, Reservations.SEAT_TAKEN)))) {
                coverage.count("cancelled: a seat refused");
            } else if (refs.stream().anyMatch(s -> reason.equals(Reservations.notConfirmedBy(s,
                    Reservations.NO_HOLD)))) {
                coverage.count("cancelled: a confirmation failed");
            } else {
                fail("cancelled for an unknown reason: " + where);
            }
        } else {
            fail("not settled: " + where);
        }
        // liveness: nobody else asks for its seats, and it has a day to hold and to wait
        boolean contested = plan.all().stream().anyMatch(r -> r instanceof BookRq o && !o.booking().equals(b)
                && o.seats().stream().anyMatch(accepted.seats()::contains));
        if (!cancelled && !contested && accepted.holdFor().equals(DURATIONS.get(LONG))
                && accepted.timeout().equals(DURATIONS.get(LONG))) {
            assertEquals(Booking.confirmed(refs), state, "an uncontested booking with a day to spare: " + where);
            coverage.count("confirmed (liveness)");
        }
    }

    private static boolean valid(BookRq b) {
        return new HashSet<>(b.seats()).size() == b.seats().size() && !b.timeout().isZero();
    }
}
