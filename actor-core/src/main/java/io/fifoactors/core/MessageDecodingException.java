package io.fifoactors.core;

/**
 * A message or state that cannot be decoded: malformed bytes, a missing or unknown type name, a type not
 * registered for the actor. Terminal: the runtime dead-letters such a message at once with this reason.
 * Thread-safe.
 */
public final class MessageDecodingException extends FifoActorsException {
    public MessageDecodingException(String message) {
        super(message, false);
    }

    public MessageDecodingException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
