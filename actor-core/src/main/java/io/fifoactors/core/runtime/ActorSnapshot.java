package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;

import java.util.List;

/**
 * A read-only view of one actor's durable record, for tests, demos and operators.
 *
 * <pre>{@code
 * ActorSnapshot<Balance> s = system.inspect(ActorId.of("account", "a1"), Balance.class);
 * s.state().amount();  s.stashed();  s.recentRejections();
 * }</pre>
 *
 * @param version        the record's version (0: never committed)
 * @param applied        messages applied so far (their effects are in the state)
 * @param rejected       messages rejected so far (by the handler, by a deferral deadline, or a full stash)
 * @param deferred       deferrals so far (a message deferred again after a retry counts once)
 * @param stashed        messages deferred right now
 * @param parkedMessageId the id of the message the actor is parked on, or null
 * @param held           messages held right now because the actor is parked
 * @param sent           messages this actor has sent to actors so far
 * @param pendingOutbox  sent messages still kept in the outbox (re-sent, deduplicated, if not known delivered)
 * @param evictedMarks   sender marks evicted at the bound (see docs/semantics.md)
 */
public record ActorSnapshot<S>(ActorId id, long version, S state, long applied, long rejected, long deferred,
                               int stashed, boolean parked, String parkedMessageId, String parkedReason, int held, long sent,
                               int pendingOutbox, int senderMarks, long evictedMarks, String appliedSequence,
                               List<RejectionRecord> recentRejections) {
}
