package io.fifoactors.core.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.MessageEncodingException;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link Codec}: JSON through Jackson, records supported, java.time as ISO strings, unknown properties
 * ignored (so adding a field is a compatible change), error messages free of payload text, polymorphic typing off (the wire type name travels beside the
 * payload and is resolved through the actor type's registry).
 *
 * <pre>{@code
 * Codec codec = JacksonCodec.create();                  // or JacksonCodec.using(myConfiguredMapper)
 * }</pre>
 *
 * <p>Thread-safe. A reader and a writer per class are made on first use and reused (they resolve the class's
 * (de)serializer once instead of on every call); they take the mapper's configuration as it is then, so configure a
 * mapper fully before handing it to {@link #using}, as Jackson requires of any mapper in use anyway.
 */
public final class JacksonCodec implements Codec {
    private final ObjectMapper mapper;
    // per codec, not a ClassValue: a class would keep every codec's mapper reachable for as long as it lives
    private final ConcurrentHashMap<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, ObjectWriter> writers = new ConcurrentHashMap<>();

    private JacksonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The default configuration. */
    public static JacksonCodec create() {
        return new JacksonCodec(JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build());
    }

    /**
     * The Jackson module for this library's value types: an {@link ActorRef} (a reply address inside a message) is
     * written as its actor's group id. Register it on a mapper given to {@link #using}.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Module module() {
        SimpleModule m = new SimpleModule("fifo-actors");
        m.addSerializer(ActorRef.class, new JsonSerializer<ActorRef>() {
            @Override
            public void serialize(ActorRef ref, JsonGenerator gen, SerializerProvider sp) throws java.io.IOException {
                gen.writeString(ref.id().groupId());
            }
        });
        m.addDeserializer(ActorRef.class, new JsonDeserializer<ActorRef>() {
            @Override
            public ActorRef deserialize(JsonParser p, DeserializationContext ctx) throws java.io.IOException {
                String group = p.getValueAsString();
                if (group == null) {
                    return (ActorRef) ctx.handleUnexpectedToken(ActorRef.class, p);
                }
                try {
                    return ActorRef.unchecked(ActorId.fromGroupId(group));
                } catch (FifoActorsException e) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p,
                            "not an actor group id", group, ActorRef.class);
                }
            }
        });
        return m;
    }

    /** A codec over a mapper configured by the caller (who must not enable default typing). */
    public static JacksonCodec using(ObjectMapper mapper) {
        return new JacksonCodec(Objects.requireNonNull(mapper, "mapper"));
    }

    @Override
    public byte[] encode(Object value) {
        try {
            if (value == null) {
                return mapper.writeValueAsBytes(null);
            }
            return writer(value.getClass()).writeValueAsBytes(value);
        } catch (IOException | RuntimeException e) {
            throw new MessageEncodingException("cannot encode a " + value.getClass().getName() + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private ObjectWriter writer(Class<?> type) {
        ObjectWriter w = writers.get(type);
        return w != null ? w : writers.computeIfAbsent(type, mapper::writerFor);
    }

    private ObjectReader reader(Class<?> type) {
        ObjectReader r = readers.get(type);
        return r != null ? r : readers.computeIfAbsent(type, mapper::readerFor);
    }

    // Jackson's own messages quote the payload; only the kind of error and where it is may leave this class.
    private static String location(Exception e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
            return " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
        }
        return "";
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        T value;
        try {
            value = reader(type).readValue(bytes);
        } catch (IOException | RuntimeException e) {
            throw new MessageDecodingException("cannot decode " + bytes.length + " bytes as " + type.getSimpleName()
                    + ": " + e.getClass().getSimpleName() + location(e));
        }
        if (value == null) {
            throw new MessageDecodingException("cannot decode " + bytes.length + " bytes as " + type.getSimpleName()
                    + ": the payload is null");
        }
        return value;
    }
}
