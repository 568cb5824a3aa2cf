package io.fifoactors.core.runtime;

import java.util.Map;

/** An outgoing message committed with the sender's state; sent after the commit, dropped once known sent. */
record OutboxEntry(long outSeq, String groupId, String messageId, Map<String, String> attributes, byte[] body) {
}
