package io.fifoactors.examples.demo.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset that only moves forward, for runs on real servers: deferral deadlines are the
 * (real) enqueue time plus a wait, so advancing the runtime's clock past them and then waking the actors expires what
 * is still deferred, without waiting for the deadlines in real time.
 *
 * <pre>{@code
 * OffsetClock clock = new OffsetClock();
 * ActorSystem system = ActorSystem.builder().clock(clock)...build();
 * clock.advance(Duration.ofMinutes(6));   // every 5-minute deadline has now passed for the runtime
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OffsetClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    /** A clock that reads the system time until it is advanced. */
    public OffsetClock() {
    }

    /**
     * Moves this clock forward by {@code d} (millisecond precision), for every reader at once.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("an offset clock only moves forward, was asked to move " + d);
        }
        offsetMillis.addAndGet(d.toMillis());
    }

    /** How far ahead of the system clock this clock is. */
    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(offsetMillis.get());
    }
}
