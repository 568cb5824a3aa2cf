package io.fifoactors.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs the start and the end of an outage of one kind once each (and a reminder at most once a minute while it
 * lasts), never a payload: an operator sees an outage in the log, not only in {@link Poller#stats()}. Logged under the
 * {@code Poller}'s logger. Thread-safe.
 */
final class OutageLog {
    /** What processing a batch needs besides receiving: the store, the timer scheduler and the mailbox's sends. */
    static final String PROCESSING = "store, scheduler or outbox sends";
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private final ConcurrentHashMap<String, Instant> downSince = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> lastLog = new ConcurrentHashMap<>();
    private final Clock clock;
    private final String name;

    OutageLog(Clock clock, String name) {
        this.clock = clock;
        this.name = name;
    }

    void down(String what, RuntimeException error) {
        Instant now = clock.instant();
        Instant since = downSince.putIfAbsent(what, now);
        String cause = error == null ? "port failures in processing" : error.getClass().getSimpleName();
        if (since == null) {
            lastLog.put(what, now);
            LOG.warn("Poller {}: {} unavailable ({}); holding messages back and retrying with backoff", name,
                    what, cause);
        } else if (Duration.between(lastLog.getOrDefault(what, since), now).toSeconds() >= 60) {
            lastLog.put(what, now);
            LOG.warn("Poller {}: {} still unavailable after {} s ({})", name, what,
                    Duration.between(since, now).toSeconds(), cause);
        }
    }

    /**
     * Ends the outage of {@code what} only if the work that succeeded started after the outage was reported: work
     * begun before it (its store calls done before the server went away) says nothing about whether it is back.
     */
    void upIfStartedSince(String what, Instant startedAt) {
        Instant since = downSince.get(what);
        if (since != null && startedAt.isBefore(since)) {
            return;
        }
        up(what);
    }

    void up(String what) {
        Instant since = downSince.remove(what);
        if (since != null) {
            LOG.info("Poller {}: {} available again after {} ms", name, what,
                    Duration.between(since, clock.instant()).toMillis());
        }
        if (what.equals(PROCESSING)) {
            for (String k : List.copyOf(downSince.keySet())) {
                if (k.startsWith("mailbox")) {
                    Instant s = downSince.remove(k);
                    if (s != null) {
                        LOG.info("Poller {}: {} available again after {} ms", name, k,
                                Duration.between(s, clock.instant()).toMillis());
                    }
                }
            }
        }
    }
}
