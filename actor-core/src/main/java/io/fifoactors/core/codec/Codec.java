package io.fifoactors.core.codec;

/**
 * Turns messages and states into bytes and back. The runtime calls it once per value, so every adapter stores and
 * sends the same bytes, and the in-memory adapter exercises serialization exactly as AWS would.
 *
 * <p>Decoding is always to a class the caller chose from an explicit registry; a codec must never instantiate a
 * class named inside the payload.
 *
 * <pre>{@code
 * Codec codec = JacksonCodec.create();
 * Deposit d = codec.decode(codec.encode(new Deposit(10)), Deposit.class);
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface Codec {
    /** @throws io.fifoactors.core.MessageEncodingException if the value cannot be encoded */
    byte[] encode(Object value);

    /** @throws io.fifoactors.core.MessageDecodingException if the bytes are not a valid {@code type} */
    <T> T decode(byte[] bytes, Class<T> type);
}
