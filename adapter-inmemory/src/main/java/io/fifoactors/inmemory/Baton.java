package io.fifoactors.inmemory;

import java.util.concurrent.Semaphore;

/**
 * Hands control between the simulation's driver and its consumer threads so that exactly one of them runs at any
 * time: real threads, deterministic interleaving. Whoever holds the baton decides (from the seeded random source)
 * who runs next and hands it over directly; a consumer that picks itself simply goes on, without a thread switch.
 */
final class Baton {
    private final Semaphore driver = new Semaphore(0);

    /** A consumer thread's place in line. */
    static final class Seat {
        private final Semaphore turn = new Semaphore(0);
    }

    /** Driver: starts {@code seat}'s thread and waits until control comes back to the driver. */
    void runUntilDriverTurn(Seat seat) {
        seat.turn.release();
        driver.acquireUninterruptibly();
    }

    /** Consumer: waits for its turn. */
    void awaitTurn(Seat seat) {
        seat.turn.acquireUninterruptibly();
    }

    /** Consumer: passes control to {@code next} (or to the driver when {@code next} is null) and waits for its turn. */
    void passTo(Seat self, Seat next) {
        if (next == null) {
            driver.release();
        } else {
            next.turn.release();
        }
        self.turn.acquireUninterruptibly();
    }

    /** Consumer: hands control back to the driver for good (the thread ends). */
    void giveBack() {
        driver.release();
    }
}
