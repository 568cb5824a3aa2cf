package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.booking.BookingRequest;
import io.fifoactors.examples.booking.BookingRequest.BookRq;
import io.fifoactors.examples.booking.BookingRequest.CancelRq;
import io.fifoactors.examples.booking.BookingWorkload;
import io.fifoactors.examples.booking.Reservations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Customers book 1 to 3 of the seats at random, competing for them: each booking holds its seats (a hold expires on
 * the seat's own timer unless confirmed in time), confirms them once all are held, and gives up, releasing every
 * seat, when one is taken, when a confirmation finds its hold expired, or when its own timeout fires first; a tenth
 * of the customers cancel afterwards (releasing what they booked). Holds and timeouts are drawn from a short, a
 * middling and a long one, so that every way of ending happens. Nothing wakes the actors: the timers settle it all.
 */
public final class BookingScenario extends Scenario<BookingRequest> {
    /** The share of customers who cancel once everything else was sent. */
    static final double CANCEL_SHARE = 0.1;

    /** Holds, short to long, and how often each is drawn (in tenths). */
    private static final List<Duration> SIM_HOLDS = List.of(Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofMinutes(10));
    private static final List<Duration> SIM_TIMEOUTS = List.of(Duration.ofMillis(100), Duration.ofSeconds(2),
            Duration.ofHours(1));
    /** In real time: SQS delays timers in whole seconds, and a run waits for the longest. */
    private static final List<Duration> REAL_HOLDS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(10));
    private static final List<Duration> REAL_TIMEOUTS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(12));
    private static final int[] HOLD_WEIGHTS = {2, 2, 6};
    private static final int[] TIMEOUT_WEIGHTS = {1, 2, 7};

    @Override
    String name() {
        return "booking";
    }

    @Override
    List<ActorType<?, ?>> types() {
        return List.of(Reservations.SEAT, Reservations.BOOKING);
    }

    /** One book request per booking, in booking order, then the cancellations. */
    @Override
    List<BookingRequest> generate(ScenarioConfig cfg, boolean realTime, SplittableRandom random) {
        List<Duration> holds = realTime ? REAL_HOLDS : SIM_HOLDS;
        List<Duration> timeouts = realTime ? REAL_TIMEOUTS : SIM_TIMEOUTS;
        List<BookingRequest> out = new ArrayList<>();
        List<BookingRequest> cancels = new ArrayList<>();
        for (int i = 0; i < cfg.messages(); i++) {
            int n = 1 + random.nextInt(Math.min(3, cfg.actors()));
            List<String> keys = new ArrayList<>(n);
            while (keys.size() < n) {
                String k = BookingWorkload.seatKey(random.nextInt(cfg.actors()));
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
            String booking = BookingWorkload.bookingKey(i);
            out.add(new BookRq("book-" + i, booking, keys, pick(holds, HOLD_WEIGHTS, random),
                    pick(timeouts, TIMEOUT_WEIGHTS, random)));
            if (random.nextDouble() < CANCEL_SHARE) {
                cancels.add(new CancelRq("cancel-" + i, booking));
            }
        }
        out.addAll(cancels);
        return out;
    }

    private static Duration pick(List<Duration> durations, int[] weights, SplittableRandom random) {
        int r = random.nextInt(10);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return durations.get(i);
            }
        }
        return durations.get(durations.size() - 1);
    }

    @Override
    Ingress<BookingRequest> ingress(ActorSystem system) {
        return Reservations.ingress(system);
    }

    @Override
    String idOf(BookingRequest record) {
        return record.id();
    }

    @Override
    ActorId targetOf(BookingRequest record) {
        return Reservations.booking(record.booking()).id();
    }

    @Override
    List<ActorRef<?>> actors(ScenarioConfig cfg) {
        List<ActorRef<?>> refs = new ArrayList<>(cfg.actors() + cfg.messages());
        for (int i = 0; i < cfg.actors(); i++) {
            refs.add(Reservations.seat(BookingWorkload.seatKey(i)));
        }
        for (int i = 0; i < cfg.messages(); i++) {
            refs.add(Reservations.booking(BookingWorkload.bookingKey(i)));
        }
        return refs;
    }

    @Override
    void domainChecks(Snapshots snapshots, List<BookingRequest> produced, Set<String> deadIds,
                      List<DeadLetter> dead, ScenarioReport report) {
        DomainChecks.booking(snapshots.of(Reservations.BOOKING), snapshots.of(Reservations.SEAT), produced, dead,
                report);
    }
}
