package io.fifoactors.sqs;

import java.time.Duration;

/** Waits between retries; replaced in unit tests so that they never sleep. Implementations are thread-safe. */
@FunctionalInterface
interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
