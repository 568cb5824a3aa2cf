package io.fifoactors.core.port;

import java.util.Map;
import java.util.Objects;

/**
 * One message to enqueue: the mailbox group it goes to (an actor's group id), its id (also the deduplication id:
 * a second message with the same id inside the dedup window is accepted and dropped), string attributes (the
 * envelope metadata) and the body bytes produced by the core's codec.
 *
 * <pre>{@code
 * new OutgoingMessage("account/acc-1", "ingress-17", Map.of("fa-type", "Deposit"), bodyBytes);
 * }</pre>
 *
 * <p>Immutable by convention: the arrays and maps passed in are not copied and must not be changed afterwards.
 * Thread-safe under that convention.
 */
public record OutgoingMessage(String groupId, String messageId, Map<String, String> attributes, byte[] body) {
    public OutgoingMessage {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
    }
}
