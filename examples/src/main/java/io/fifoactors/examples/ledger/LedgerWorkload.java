package io.fifoactors.examples.ledger;

import io.fifoactors.core.ActorRef;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random ledger workload, shared by the demo, the end-to-end tests and the benchmarks: every account is opened,
 * then random deposits (40%) and transfers (60%) follow; one transfer in a hundred goes to a "ghost" account that is
 * never opened (its credit is refused and refunded); a share of transfers waits for funds instead of being rejected.
 *
 * <pre>{@code
 * List<LedgerTransaction> txs = LedgerWorkload.transactions(1000, 100_000, 10, 0.2, Duration.ofMinutes(5), random);
 * }</pre>
 *
 * <p>Stateless and thread-safe; the random source is the caller's.
 */
public final class LedgerWorkload {
    private LedgerWorkload() {
    }

    /** The key of the {@code i}th opened account. */
    public static String accountKey(int i) {
        return String.format("acc-%05d", i);
    }

    /** The key of the {@code g}th ghost account (never opened). */
    public static String ghostKey(int g) {
        return "ghost-" + g;
    }

    /** The openings of {@code accounts} accounts followed by {@code count} random transactions. */
    public static List<LedgerTransaction> transactions(int accounts, int count, int ghosts, double deferShare,
                                                       Duration wait, SplittableRandom random) {
        List<LedgerTransaction> txs = new ArrayList<>(accounts + count);
        for (int i = 0; i < accounts; i++) {
            txs.add(new OpenTx("open-" + i, accountKey(i)));
        }
        for (int n = 0; n < count; n++) {
            String from = accountKey(random.nextInt(accounts));
            if (random.nextInt(100) < 40) {
                txs.add(new DepositTx("tx-" + n, from, 1 + random.nextInt(1000)));
            } else {
                String to = ghosts > 0 && random.nextInt(100) == 0 ? ghostKey(random.nextInt(ghosts))
                        : accountKey(random.nextInt(accounts));
                long waitMillis = random.nextDouble() < deferShare ? wait.toMillis() : 0;
                txs.add(new TransferTx("tx-" + n, from, to, 1 + random.nextInt(500), waitMillis));
            }
        }
        return txs;
    }

    /** Every account the workload may touch: the opened ones and the ghosts. */
    public static List<ActorRef<AccountMessage>> accounts(int accounts, int ghosts) {
        List<ActorRef<AccountMessage>> ids = new ArrayList<>(accounts + ghosts);
        for (int i = 0; i < accounts; i++) {
            ids.add(Ledger.account(accountKey(i)));
        }
        for (int g = 0; g < ghosts; g++) {
            ids.add(Ledger.account(ghostKey(g)));
        }
        return ids;
    }
}
