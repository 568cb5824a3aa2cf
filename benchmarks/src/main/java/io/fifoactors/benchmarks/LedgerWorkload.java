package io.fifoactors.benchmarks;

import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ledger workload every benchmark runs: {@code accounts} accounts are opened (setup, not measured), then
 * {@code messages} transactions arrive, a share of them transfers (the rest deposits), between random accounts.
 * Transfers never wait for funds (a short balance is a rejection), so no message is deferred. A successful transfer
 * causes one more message, the credit to the receiver.
 *
 * <p>{@code burst}: how many consecutive transactions go to the same account (1: each picks a random account). With a
 * burst of 5, a receive of 10 messages typically holds several messages of one actor, the case the runtime folds into
 * one commit.
 *
 * @param opens        one {@link OpenTx} per account
 * @param transactions the measured messages, in production order
 */
record LedgerWorkload(int accounts, List<LedgerTransaction> opens, List<LedgerTransaction> transactions,
                      long depositTotal, long transfers) {

    static String key(int i) {
        return String.format("acc-%05d", i);
    }

    static LedgerWorkload generate(int accounts, int messages, double transferShare, int burst, long seed) {
        if (accounts < 2) {
            throw new IllegalArgumentException("the ledger needs at least 2 accounts");
        }
        SplittableRandom random = new SplittableRandom(seed);
        String[] keys = new String[accounts];
        List<LedgerTransaction> opens = new ArrayList<>(accounts);
        for (int i = 0; i < accounts; i++) {
            keys[i] = key(i);
            opens.add(new OpenTx("open-" + i, keys[i]));
        }
        List<LedgerTransaction> txs = new ArrayList<>(messages);
        long deposits = 0;
        long transfers = 0;
        int from = random.nextInt(accounts);
        for (int n = 0; n < messages; n++) {
            if (n % Math.max(1, burst) == 0) {
                from = random.nextInt(accounts);
            }
            if (random.nextDouble() < transferShare) {
                int to = random.nextInt(accounts - 1);
                if (to >= from) {
                    to++;
                }
                txs.add(new TransferTx("tx-" + n, keys[from], keys[to], 1 + random.nextInt(500), 0));
                transfers++;
            } else {
                long amount = 1 + random.nextInt(1000);
                txs.add(new DepositTx("tx-" + n, keys[from], amount));
                deposits += amount;
            }
        }
        return new LedgerWorkload(accounts, List.copyOf(opens), List.copyOf(txs), deposits, transfers);
    }
}
