package io.fifoactors.inmemory;

import java.util.concurrent.Semaphore;

/**
 * Hands control between the simulation's driver and its consumer threads so that exactly one of them runs at any
 * time: real threads, deterministic interleaving. The driver decides (from its seeded random source) who runs next.
 */
final class Baton {
    private final Semaphore driver = new Semaphore(0);

    /** A consumer thread's side: it runs only between {@link #awaitTurn()} and {@link #giveBack()}. */
    static final class Seat {
        private final Semaphore turn = new Semaphore(0);
    }

    /** Driver: lets {@code seat}'s thread run until it gives the baton back. */
    void run(Seat seat) {
        seat.turn.release();
        driver.acquireUninterruptibly();
    }

    /** Consumer: waits for its turn. */
    void awaitTurn(Seat seat) {
        seat.turn.acquireUninterruptibly();
    }

    /** Consumer: hands control back to the driver. */
    void giveBack() {
        driver.release();
    }

    /** Consumer: hands control back and waits for its next turn. */
    void yieldTurn(Seat seat) {
        driver.release();
        seat.turn.acquireUninterruptibly();
    }
}
