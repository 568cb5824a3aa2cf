package io.fifoactors.core.internal;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.MessageTracing;
import io.fifoactors.core.runtime.OutcomeListener;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Everything a runtime is configured with, in one immutable value the runs read (instead of reaching back into the
 * system). Built and checked by {@code ActorSystem.Builder}.
 *
 * @param freshWindow     a re-send within this time of its commit is caught by the mailbox's deduplication
 *                        (SQS: 5 minutes, less a minute for clock skew)
 * @param horizon         how long sender marks are kept (in the record, then in the archive); a re-send older than
 *                        this is dead-lettered as one that cannot be checked
 * @param hotMarks        sender marks kept in the record before they are moved to the archive
 * @param crashCheckAfter receives after which an attempt is recorded before the handler runs, so that a consumer
 *                        dying on a message counts as a failed attempt
 * @param tracing         the tracing hook ({@link MessageTracing#none()}: off)
 */
public record Settings(Map<String, ActorType<?, ?>> types, StateStore store, Mailbox mailbox,
                       Optional<Scheduler> scheduler, Clock clock, Codec codec, MessageKeys keys, int maxAttempts,
                       int maxConflictRetries, int keptRejections, int hotMarks, Duration freshWindow,
                       Duration horizon, int crashCheckAfter, Consistency preloadConsistency, int recordCacheSize,
                       int sentCacheSize, Optional<Executor> groupExecutor, OutcomeListener listener,
                       LongSupplier nonces, MessageTracing tracing) {
    /** Settings without tracing. */
    public Settings(Map<String, ActorType<?, ?>> types, StateStore store, Mailbox mailbox,
                    Optional<Scheduler> scheduler, Clock clock, Codec codec, MessageKeys keys, int maxAttempts,
                    int maxConflictRetries, int keptRejections, int hotMarks, Duration freshWindow,
                    Duration horizon, int crashCheckAfter, Consistency preloadConsistency, int recordCacheSize,
                    int sentCacheSize, Optional<Executor> groupExecutor, OutcomeListener listener,
                    LongSupplier nonces) {
        this(types, store, mailbox, scheduler, clock, codec, keys, maxAttempts, maxConflictRetries, keptRejections,
                hotMarks, freshWindow, horizon, crashCheckAfter, preloadConsistency, recordCacheSize, sentCacheSize,
                groupExecutor, listener, nonces, MessageTracing.none());
    }

    ActorType<?, ?> typeOrNull(String name) {
        return types.get(name);
    }
}
