package io.fifoactors.core.runtime;

/**
 * A message kept with an actor's record: deferred (with a deadline), held while the actor is parked, or the parked
 * message itself (with the failure reason). Everything needed to handle it later travels with it.
 */
record Stashed(String messageId, String type, byte[] body, String sender, long senderSeq, long enqueuedAtMillis,
               int receiveCount, long deadlineMillis, String reason) {
    Stashed withReason(String newReason) {
        return new Stashed(messageId, type, body, sender, senderSeq, enqueuedAtMillis, receiveCount, deadlineMillis,
                newReason);
    }

    Stashed withDeadline(long newDeadline) {
        return new Stashed(messageId, type, body, sender, senderSeq, enqueuedAtMillis, receiveCount, newDeadline,
                reason);
    }
}
