package io.fifoactors.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.examples.booking.Booking;
import io.fifoactors.examples.booking.BookingInvariants;
import io.fifoactors.examples.booking.BookingMessage;
import io.fifoactors.examples.booking.BookingRequest;
import io.fifoactors.examples.booking.BookingRequest.BookRq;
import io.fifoactors.examples.booking.Reservations;
import io.fifoactors.examples.booking.Seat;
import io.fifoactors.examples.booking.SeatMessage;
import io.fifoactors.examples.inventory.Stock;
import io.fifoactors.examples.inventory.StockMovement;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The domain invariants of the ledger and the inventory (G5 and G2 on money and goods) and of seat booking, checked
 * from the actors' records as stored, what was produced and what was dead-lettered; used by the demo on both backends
 * and by the end-to-end tests (the booking's invariants themselves are written once, in {@link BookingInvariants}).
 *
 * <pre>{@code
 * ScenarioReport report = new ScenarioReport("ledger");
 * DomainChecks.ledger(snapshots, produced, deadIds, deadLetters, report);
 * boolean ok = report.passed();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DomainChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DomainChecks() {
    }

    /**
     * The ledger: no balance below zero; money conserved (balances plus suspense plus the money in dead-lettered
     * credits and refunds never applied equal the deposits applied); every deposit produced (and not dead-lettered) applied exactly
     * once; no money left in accounts that were never opened. Adds a "money" figure and four checks.
     *
     * @param accounts every account the workload may have touched
     * @param produced the transactions produced intact (the malformed ones excluded)
     * @param deadIds  ids of the dead-lettered messages
     * @param dead     the dead letters (their attributes and bodies)
     */
    public static void ledger(Collection<ActorSnapshot<Account>> accounts, List<LedgerTransaction> produced,
                              Set<String> deadIds, List<DeadLetter> dead, ScenarioReport report) {
        long balances = 0;
        long suspense = 0;
        long deposited = 0;
        long negative = 0;
        long ghostMoney = 0;
        for (ActorSnapshot<Account> s : accounts) {
            Account a = s.state();
            balances = Math.addExact(balances, a.balance());
            suspense = Math.addExact(suspense, a.suspense());
            deposited = Math.addExact(deposited, a.deposited());
            if (a.balance() < 0 || a.suspense() < 0) {
                negative++;
            }
            if (s.id().key().startsWith("ghost-")) {
                ghostMoney += a.balance() + a.suspense();
            }
        }
        long expectedDeposits = 0;
        for (LedgerTransaction tx : produced) {
            if (tx instanceof DepositTx d && !deadIds.contains(d.id())) {
                expectedDeposits += d.amount();
            }
        }
        List<Long> letters = moneyIn(dead);
        long deadMoney = letters.stream().mapToLong(Long::longValue).sum();
        long inFlight = deposited - balances - suspense;
        // a letter whose message a later copy delivered after all (see OutcomeLog.handledAfterDeadLettered, which
        // cannot see every such copy) holds money that is in a balance: the money in flight is that of some of the
        // letters, the ones never applied
        boolean explained = inFlight == deadMoney || (inFlight >= 0 && inFlight < deadMoney
                && isSumOfSome(letters, inFlight));
        report.figure("money", String.format("%,d deposited, %,d in balances, %,d in suspense, %,d in dead-lettered"
                + " credits and refunds", deposited, balances, suspense, deadMoney));
        report.check(Check.of("G5 no balance below zero", negative == 0, negative + " negative balances"));
        report.check(Check.of("G5 money conserved: balances + suspense + dead-lettered in flight = deposits",
                explained, balances + " + " + suspense + " + " + inFlight + " = " + deposited
                        + (inFlight == deadMoney ? "" : "; in flight " + inFlight + " of " + deadMoney
                        + " dead-lettered" + (explained ? " (the rest handled after all, from another copy)"
                        : ": no set of the " + letters.size() + " letters holds it"))));
        report.check(Check.of("G2 every deposit applied exactly once", deposited == expectedDeposits,
                deposited + " applied vs " + expectedDeposits + " produced"));
        report.check(Check.of("credits to unopened accounts refunded", ghostMoney == 0,
                ghostMoney + " stuck in unopened accounts"));
    }

    /** Whether some of {@code amounts} (each used at most once) add up to {@code target}; at most 24 amounts. */
    private static boolean isSumOfSome(List<Long> amounts, long target) {
        if (amounts.size() > 24) {
            return false;
        }
        Set<Long> sums = new HashSet<>(Set.of(0L));
        for (long a : amounts) {
            for (Long s : List.copyOf(sums)) {
                sums.add(s + a);
            }
        }
        return sums.contains(target);
    }

    /**
     * The amounts inside dead-lettered credits and refunds: sent by one account ({@link Envelope#FROM}), not applied
     * by the other when the letter was written (the runtime dead-letters only what it did not apply).
     */
    private static List<Long> moneyIn(List<DeadLetter> dead) {
        List<Long> amounts = new ArrayList<>();
        for (DeadLetter d : dead) {
            String type = d.attributes().get(Envelope.TYPE);
            if (d.attributes().containsKey(Envelope.FROM) && ("Credit".equals(type) || "Refund".equals(type))) {
                try {
                    amounts.add(JSON.readTree(d.body()).get("amount").asLong());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return amounts;
    }

    /**
     * The inventory: no stock below zero; every product's stock equals its arrivals minus its departures; every
     * arrival produced (and not dead-lettered) applied exactly once; departures never exceed what was requested.
     * Adds a "goods" figure and four checks.
     *
     * @param products every product the workload may have touched
     * @param produced the movements produced intact (the malformed ones excluded)
     * @param deadIds  ids of the dead-lettered messages
     */
    public static void inventory(Collection<ActorSnapshot<Stock>> products, List<StockMovement> produced,
                                 Set<String> deadIds, ScenarioReport report) {
        long negative = 0;
        long inconsistent = 0;
        long arrived = 0;
        long departed = 0;
        for (ActorSnapshot<Stock> s : products) {
            Stock st = s.state();
            if (st.quantity() < 0) {
                negative++;
            }
            if (st.quantity() != st.arrived() - st.departed()) {
                inconsistent++;
            }
            arrived += st.arrived();
            departed += st.departed();
        }
        long expectedArrivals = 0;
        long requestedDepartures = 0;
        for (StockMovement mv : produced) {
            if (mv instanceof ArrivalMv a && !deadIds.contains(a.id())) {
                expectedArrivals += a.quantity();
            } else if (mv instanceof DepartureMv d && !deadIds.contains(d.id())) {
                requestedDepartures += d.quantity();
            }
        }
        report.figure("goods", String.format("%,d arrived, %,d departed of %,d requested, %,d in stock",
                arrived, departed, requestedDepartures, arrived - departed));
        report.check(Check.of("G5 no stock below zero", negative == 0, negative + " negative stocks"));
        report.check(Check.of("stock = arrivals - departures for every product", inconsistent == 0,
                inconsistent + " inconsistent products"));
        report.check(Check.of("G2 every arrival applied exactly once", arrived == expectedArrivals,
                arrived + " applied vs " + expectedArrivals + " produced"));
        report.check(Check.of("departures never exceed requests", departed <= requestedDepartures,
                departed + " departed of " + requestedDepartures + " requested"));
    }

    /**
     * Seat booking, through {@link BookingInvariants} (nothing pending, a confirmed booking has all its seats booked
     * for it, a booked seat belongs to a confirmed booking that lists it, a cancelled booking says why), with two of
     * them also written out on their own: no seat in two bookings, and every booking settled (confirmed or
     * cancelled, once its request arrived). Adds "bookings" and "seats" figures and three checks.
     *
     * <p>A message that did not reach its actor (a well-formed one dead-lettered, which faults can cause) leaves its
     * actors legitimately unsettled: a lost release leaves a seat booked, a lost timer firing a seat held. Such actors
     * are left out of the checks, with every actor they deal with (a booking and the seats it asked for), to a fixed
     * point, and the report says how many.
     *
     * @param bookings every booking the workload may have touched
     * @param seats    every seat the workload may have touched
     * @param produced the requests produced intact (the malformed ones excluded)
     * @param dead     the dead letters
     */
    public static void booking(Collection<ActorSnapshot<Booking>> bookings, Collection<ActorSnapshot<Seat>> seats,
                               List<BookingRequest> produced, List<DeadLetter> dead, ScenarioReport report) {
        Map<String, Set<String>> asked = new HashMap<>(); // booking -> the seats its intact book requests named
        Set<String> requested = new HashSet<>();
        Set<String> producedIds = new HashSet<>();
        for (BookingRequest r : produced) {
            producedIds.add(r.id());
            if (r instanceof BookRq b) {
                asked.computeIfAbsent(b.booking(), k -> new HashSet<>()).addAll(b.seats());
                requested.add(b.booking());
            }
        }
        Set<String> excluded = new HashSet<>();
        for (DeadLetter d : dead) {
            String from = d.attributes().get(Envelope.FROM);
            boolean malformed = from == null && !Scenario.TIMER_ID.matcher(d.messageId()).matches()
                    && !producedIds.contains(d.messageId());
            if (malformed) {
                continue;
            }
            keyOf(d.groupId()).ifPresent(excluded::add);
            if (from != null) {
                keyOf(from.split(" ", 2)[0]).ifPresent(excluded::add);
            }
        }
        for (boolean grew = !excluded.isEmpty(); grew; ) {
            grew = false;
            for (Map.Entry<String, Set<String>> e : asked.entrySet()) {
                boolean linked = excluded.contains(e.getKey()) || e.getValue().stream().anyMatch(excluded::contains);
                if (linked && (excluded.add(e.getKey()) | excluded.addAll(e.getValue()))) {
                    grew = true;
                }
            }
        }

        Map<ActorRef<BookingMessage>, Booking> bs = new LinkedHashMap<>();
        for (ActorSnapshot<Booking> s : bookings) {
            if (!excluded.contains(s.id().key())) {
                bs.put(Reservations.booking(s.id().key()), s.state());
            }
        }
        Map<ActorRef<SeatMessage>, Seat> ss = new LinkedHashMap<>();
        for (ActorSnapshot<Seat> s : seats) {
            if (!excluded.contains(s.id().key())) {
                ss.put(Reservations.seat(s.id().key()), s.state());
            }
        }

        Map<String, Long> outcomes = new TreeMap<>();
        Map<ActorRef<SeatMessage>, Integer> confirmedIn = new HashMap<>();
        List<String> unsettled = new ArrayList<>();
        bs.forEach((ref, b) -> {
            switch (b.status()) {
                case CONFIRMED -> {
                    outcomes.merge("confirmed", 1L, Long::sum);
                    b.seats().forEach(seat -> confirmedIn.merge(seat, 1, Integer::sum));
                }
                case CANCELLED -> outcomes.merge("cancelled: " + cancelCause(b.reason()), 1L, Long::sum);
                default -> {
                    if (requested.contains(ref.id().key())) {
                        unsettled.add(ref.id().key() + " " + b.status());
                    }
                }
            }
        });
        Map<Seat.Status, Long> seatStates = new EnumMap<>(Seat.Status.class);
        ss.values().forEach(seat -> seatStates.merge(seat.status(), 1L, Long::sum));
        List<String> doubly = confirmedIn.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey().id().key() + " in " + e.getValue()).toList();
        List<String> violations = BookingInvariants.violations(bs, ss);

        report.figure("bookings", bs.size() + " checked: " + outcomes.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + (excluded.isEmpty() ? "" : "; " + excluded.size() + " actors left out (a message of theirs was"
                + " dead-lettered)"));
        report.figure("seats", ss.size() + " checked: " + seatStates.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", ")));
        report.check(Check.of("BookingInvariants: confirmed bookings hold their seats, booked seats belong to them,"
                + " nothing pending", violations.isEmpty(), violations.isEmpty() ? bs.size() + " bookings, "
                + ss.size() + " seats" : violations.size() + " violations: " + String.join("; ",
                violations.subList(0, Math.min(3, violations.size())))));
        report.check(Check.of("no seat in two bookings", doubly.isEmpty(),
                doubly.isEmpty() ? confirmedIn.size() + " seats booked" : String.join(", ", doubly)));
        report.check(Check.of("every booking requested settled: confirmed or cancelled, on its own timers",
                unsettled.isEmpty(), unsettled.isEmpty() ? "" : unsettled.size() + " unsettled: "
                        + String.join(", ", unsettled.subList(0, Math.min(3, unsettled.size())))));
    }

    /** Why a booking was cancelled, in a few words. */
    private static String cancelCause(String reason) {
        if (reason.equals(Reservations.TIMED_OUT)) {
            return "timed out";
        }
        if (reason.equals(Reservations.CANCELLED_BY_CUSTOMER)) {
            return "by the customer";
        }
        if (reason.contains(" refused the hold")) {
            return "a seat was taken";
        }
        if (reason.contains(" could not confirm")) {
            return "a hold expired before the confirmation";
        }
        return reason;
    }

    private static java.util.Optional<String> keyOf(String groupId) {
        try {
            return java.util.Optional.of(ActorId.fromGroupId(groupId).key());
        } catch (RuntimeException notAnActor) {
            return java.util.Optional.empty();
        }
    }
}
