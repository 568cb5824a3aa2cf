package io.fifoactors.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for deterministic tests and simulations. Millisecond resolution.
 *
 * <pre>{@code
 * VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * clock.advance(Duration.ofSeconds(31));   // a 30 s visibility timeout has now expired
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class VirtualClock extends Clock {
    private final AtomicLong millis;

    private VirtualClock(long millis) {
        this.millis = new AtomicLong(millis);
    }

    public static VirtualClock at(Instant start) {
        return new VirtualClock(start.toEpochMilli());
    }

    /** Moves time forward; a negative duration is refused. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        millis.addAndGet(d.toMillis());
    }

    /** Moves time forward to {@code t} if it is later; returns the time now. */
    public Instant advanceTo(Instant t) {
        long target = t.toEpochMilli();
        return Instant.ofEpochMilli(millis.accumulateAndGet(target, Math::max));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a VirtualClock is always UTC");
    }

    @Override
    public String toString() {
        return "VirtualClock[" + instant() + "]";
    }
}
