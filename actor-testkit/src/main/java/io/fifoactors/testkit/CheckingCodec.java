package io.fifoactors.testkit;

import io.fifoactors.core.codec.Codec;

/**
 * A codec that checks, each time the runtime encodes a state or a message, that the value survives the round trip
 * (decoding it as its own class gives back an equal value and the same JSON); an {@link AssertionError} says what is
 * lost. Serialization bugs then fail a unit test instead of a production actor. Thread-safe if the wrapped codec is.
 */
final class CheckingCodec implements Codec {
    private final Codec codec;

    CheckingCodec(Codec codec) {
        this.codec = codec;
    }

    @Override
    public byte[] encode(Object value) {
        if (value != null && !(value instanceof byte[])) {
            // first, so that a value the codec cannot even write is explained the same way
            RoundTrip.check(codec, "the " + value.getClass().getSimpleName(), value, value.getClass());
        }
        return codec.encode(value);
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        return codec.decode(bytes, type);
    }
}
