package io.fifoactors.core;

/** A message over the mailbox's size limit (SQS: 256 KiB, body plus attributes). Terminal. Thread-safe. */
public final class MessageTooLargeException extends FifoActorsException {
    public MessageTooLargeException(String messageId, long sizeBytes, long limitBytes) {
        super("message " + messageId + " is " + sizeBytes + " bytes, over the limit of " + limitBytes + " bytes", false);
    }
}
