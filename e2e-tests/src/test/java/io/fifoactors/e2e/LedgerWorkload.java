package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.e2e.TestLedger.Account;
import io.fifoactors.e2e.TestLedger.AccountMessage;
import io.fifoactors.e2e.TestLedger.Deposit;
import io.fifoactors.e2e.TestLedger.Transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded ledger workload with an exact per-account oracle. Every account first gets one deposit of
 * {@link #DEPOSIT}, larger than all it can ever send, so no ordinary transfer can lack funds whatever the order of
 * credits: the outcome of every message is known in advance. A few transfers ask for more than the whole ledger
 * holds (always rejected: never below zero) and one deposit would overflow (always rejected: checked arithmetic).
 * So each account's final balance, applied count and rejected count are exact, and a message applied twice or lost
 * shows in them.
 */
final class LedgerWorkload {
    /** Each account's opening deposit. */
    static final long DEPOSIT = 1_000_000;
    /** A transfer no account can afford. */
    static final long OVERDRAW = 1_000_000_000_000_000L;

    /** One producer record: its id (the message id), the account it goes to, and the message. */
    record Tx(String id, String account, AccountMessage message) {
    }

    /** What an account must end with. */
    record Expected(long balance, long deposited, long applied, long rejected) {
    }

    final List<String> accounts;
    final List<Tx> deposits;
    final List<Tx> transfers;
    final Map<String, Expected> expected;
    final long totalDeposits;

    private LedgerWorkload(List<String> accounts, List<Tx> deposits, List<Tx> transfers,
                           Map<String, Expected> expected, long totalDeposits) {
        this.accounts = accounts;
        this.deposits = deposits;
        this.transfers = transfers;
        this.expected = expected;
        this.totalDeposits = totalDeposits;
    }

    /** {@code accounts} accounts, {@code transfers} transfers among them, about 2% of them overdrawing. */
    static LedgerWorkload generate(String prefix, int accounts, int transfers, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            keys.add(prefix + "-" + i);
        }
        long[] balance = new long[accounts];
        long[] applied = new long[accounts];
        long[] rejected = new long[accounts];
        List<Tx> deposits = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            deposits.add(new Tx(prefix + "-dep-" + i, keys.get(i), new Deposit(DEPOSIT)));
            balance[i] = DEPOSIT;
            applied[i]++;
        }
        // checked arithmetic: a deposit that would overflow the first account's balance is refused
        deposits.add(new Tx(prefix + "-dep-overflow", keys.get(0), new Deposit(Long.MAX_VALUE)));
        rejected[0]++;
        List<Tx> txs = new ArrayList<>();
        for (int n = 0; n < transfers; n++) {
            int from = random.nextInt(accounts);
            int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
            boolean overdraw = random.nextInt(50) == 0;
            long amount = overdraw ? OVERDRAW : 1 + random.nextInt(100);
            String id = prefix + "-tx-" + n;
            txs.add(new Tx(id, keys.get(from), new Transfer(id, TestLedger.account(keys.get(to)), amount)));
            if (overdraw) {
                rejected[from]++;
            } else {
                balance[from] -= amount;
                balance[to] += amount;
                applied[from]++;
                applied[to]++; // the credit
            }
        }
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (int i = 0; i < accounts; i++) {
            expected.put(keys.get(i), new Expected(balance[i], DEPOSIT, applied[i], rejected[i]));
        }
        return new LedgerWorkload(List.copyOf(keys), List.copyOf(deposits), List.copyOf(txs), expected,
                DEPOSIT * accounts);
    }

    /** Transfers in the order sent (each account's in its order; deposits always go first). */
    List<Tx> transfers() {
        return transfers;
    }

    /** The producer's send of some records through {@code system}'s mailbox, with their ids as message ids. */
    static void send(ActorSystem system, List<Tx> txs) {
        List<io.fifoactors.core.port.OutgoingMessage> out = new ArrayList<>();
        for (Tx tx : txs) {
            out.add(system.encode(TestLedger.account(tx.account()).tell(tx.message()), tx.id()));
        }
        if (!out.isEmpty()) {
            system.mailbox().send(out);
        }
    }

    /** Every account's snapshot, read now. */
    Map<String, ActorSnapshot<Account>> snapshots(ActorSystem system) {
        Map<String, ActorSnapshot<Account>> out = new LinkedHashMap<>();
        for (String a : accounts) {
            out.put(a, system.inspect(TestLedger.ACCOUNT, a));
        }
        return out;
    }

    /**
     * True once every account has decided as many messages as the oracle says (then nothing is in flight). The
     * outbox is not looked at: with runtime redrive an actor's last outbox stays in its record, known sent, until
     * its next activation.
     */
    boolean settled(Map<String, ActorSnapshot<Account>> s) {
        for (String a : accounts) {
            ActorSnapshot<Account> snap = s.get(a);
            Expected e = expected.get(a);
            if (snap.applied() + snap.rejected() < e.applied() + e.rejected()) {
                return false;
            }
        }
        return true;
    }

    /** The differences between the accounts and the oracle, one line each (empty: exact). */
    List<String> differences(Map<String, ActorSnapshot<Account>> s) {
        List<String> out = new ArrayList<>();
        for (String a : accounts) {
            ActorSnapshot<Account> snap = s.get(a);
            Expected e = expected.get(a);
            Account st = snap.state();
            if (st.balance() != e.balance() || st.deposited() != e.deposited() || snap.applied() != e.applied()
                    || snap.rejected() != e.rejected()) {
                out.add(a + ": balance " + st.balance() + " (expected " + e.balance() + "), deposited "
                        + st.deposited() + " (" + e.deposited() + "), applied " + snap.applied() + " ("
                        + e.applied() + "), rejected " + snap.rejected() + " (" + e.rejected() + ")");
            }
        }
        return out;
    }

    /** Balances added up, and money in flight (credits committed by senders and not yet applied). */
    static long sumBalances(Map<String, ActorSnapshot<Account>> s) {
        long sum = 0;
        for (ActorSnapshot<Account> snap : s.values()) {
            sum = Math.addExact(sum, snap.state().balance());
        }
        return sum;
    }

    static long sumDeposited(Map<String, ActorSnapshot<Account>> s) {
        long sum = 0;
        for (ActorSnapshot<Account> snap : s.values()) {
            sum = Math.addExact(sum, snap.state().deposited());
        }
        return sum;
    }

    /** Money debited by transfers and not yet credited (or refunded): in flight. */
    static long inFlight(Map<String, ActorSnapshot<Account>> s) {
        long debited = 0;
        long credited = 0;
        for (ActorSnapshot<Account> snap : s.values()) {
            debited = Math.addExact(debited, snap.state().debited());
            credited = Math.addExact(credited, snap.state().credited());
        }
        return debited - credited;
    }

    /** True if any balance is below zero. */
    static boolean anyNegative(Map<String, ActorSnapshot<Account>> s) {
        return s.values().stream().anyMatch(x -> x.state().balance() < 0);
    }

    static ActorId id(String account) {
        return TestLedger.ACCOUNT.id(account);
    }
}
