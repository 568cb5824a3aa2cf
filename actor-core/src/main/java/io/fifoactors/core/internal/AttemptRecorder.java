package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.SequenceNumbers;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.util.Optional;

/**
 * Records a handler call the batch abandoned at its time limit as a failed attempt, in the actor's record, so the
 * attempt counts toward {@code maxAttempts} although the run that made it never finished. One conditional write;
 * best effort (if it fails the attempt is not counted, and the message is simply tried again).
 */
final class AttemptRecorder {
    private final Settings settings;

    AttemptRecorder(Settings settings) {
        this.settings = settings;
    }

    void recordTimeout(String groupId, Delivery d, String reason) {
        try {
            ActorId id = ActorId.fromGroupId(groupId);
            ActorType<?, ?> type = settings.typeOrNull(id.type());
            if (type == null) {
                return;
            }
            Optional<StoredRecord> record = settings.store().load(id);
            Control c = record.map(r -> Control.decode(r.control())).orElseGet(Control::new);
            if (SequenceNumbers.compare(d.sequenceNumber(), c.appliedSeq) <= 0) {
                return; // applied after all (the run finished its commit): nothing to count
            }
            c.failedAttempts = c.isFailing(d.sequenceNumber()) ? c.failedAttempts + 1 : 1;
            c.failingSeq = d.sequenceNumber();
            c.attemptInProgress = false;
            c.failingReason = Optional.of(reason);
            c.nonce = settings.nonces().getAsLong();
            long version = record.map(StoredRecord::version).orElse(0L);
            byte[] state = record.isPresent() ? record.get().state()
                    : settings.codec().encode(type.initialState(id));
            settings.store().commit(id, version, c.record(version + 1, state));
        } catch (RuntimeException e) {
            try {
                settings.listener().onEvent(new RuntimeEvent(groupId, RuntimeEvent.Kind.PORT_FAILURE,
                        "recording a timed-out attempt failed: " + Failures.describe(e)));
            } catch (RuntimeException ignored) {
                // a listener must not change what happens
            }
        }
    }
}
