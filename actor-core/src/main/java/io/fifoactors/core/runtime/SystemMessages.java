package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.MessageEncodingException;
import io.fifoactors.core.internal.Inspection;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The runtime's own operator messages, authenticated with the {@link MessageKeys} every consumer of the queue shares,
 * built without an {@link ActorSystem}: what an operator tool sends through any {@link Mailbox}. {@link ActorSystem}'s
 * {@link ActorSystem#wake wake} and {@link ActorSystem#unpark unpark} send exactly these.
 *
 * <p>The request id is the message's id, and so its deduplication id: the same request sent twice within the
 * mailbox's deduplication window (5 minutes on SQS) is one message; a new id is a new request.
 *
 * <pre>{@code
 * MessageKeys keys = MessageKeys.parse(System.getenv("FA_MESSAGE_KEYS"));
 * mailbox.send(List.of(SystemMessages.unpark(ActorId.fromGroupId("account/a-1"), Resolution.RETRY, "op-42", keys)));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SystemMessages {
    private SystemMessages() {
    }

    /** A wake: the actor expires its due deferrals and retries its stash. */
    public static OutgoingMessage wake(ActorId target, String requestId, MessageKeys keys) {
        return build(target, requestId, Envelope.SYSTEM_WAKE, new byte[0], keys);
    }

    /**
     * An unpark: resolves a parked actor in its own order (see {@link Resolution}); an actor that is not parked
     * ignores it.
     */
    public static OutgoingMessage unpark(ActorId target, Resolution resolution, String requestId, MessageKeys keys) {
        Objects.requireNonNull(resolution, "resolution");
        return build(target, requestId, Envelope.SYSTEM_UNPARK,
                resolution.name().getBytes(StandardCharsets.US_ASCII), keys);
    }

    private static OutgoingMessage build(ActorId target, String requestId, String type, byte[] body,
                                         MessageKeys keys) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(keys, "keys");
        checkMessageId(requestId);
        return Inspection.systemMessage(target, requestId, type, body, keys);
    }

    /**
     * A message id the mailbox accepts: 1 to 128 printable ASCII characters.
     *
     * @throws MessageEncodingException if it is not
     */
    static void checkMessageId(String id) {
        Objects.requireNonNull(id, "messageId");
        if (id.isEmpty() || id.length() > 128) {
            throw new MessageEncodingException("message id must have 1 to 128 characters, had " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new MessageEncodingException("message id has a character outside printable ASCII at index " + i);
            }
        }
    }
}
