package io.fifoactors.core;

/** A value the codec cannot encode, or a message class not registered with its target's actor type. Terminal. */
public final class MessageEncodingException extends FifoActorsException {
    public MessageEncodingException(String message) {
        super(message, false);
    }

    public MessageEncodingException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
