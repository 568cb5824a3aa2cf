package io.fifoactors.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a value through the codec the way the runtime does (encode, then decode to the registered class) and reports
 * what the round trip loses: a value that cannot be encoded or decoded, a component whose value changes, or JSON that
 * changes when the decoded value is encoded again. Stateless and thread-safe.
 */
final class RoundTrip {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SHOWN = 400;
    private static final int MAX_DEPTH = 64;

    private RoundTrip() {
    }

    /**
     * Encodes {@code value} and decodes it as {@code as}; returns the decoded value.
     *
     * @param what a noun phrase for messages, e.g. "the state"
     * @throws AssertionError if the value cannot be encoded or decoded, or comes back different
     */
    static <T> T check(Codec codec, String what, Object value, Class<T> as) {
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " " + show(value) + " cannot be encoded by the codec: " + e.getMessage()
                    + (codec instanceof JacksonCodec
                    ? " (Jackson writes records, public fields and getters; a class with none of them cannot be written)"
                    : ""), e);
        }
        T back;
        try {
            back = codec.decode(bytes, as);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " " + show(value) + " is encoded as " + text(bytes)
                    + " but cannot be decoded back as " + as.getName() + ": " + e.getMessage()
                    + (codec instanceof JacksonCodec
                    ? " (Jackson reads records, and classes with a @JsonCreator or a no-argument constructor)" : "")
                    + "; in production the runtime could not read it back", e);
        }
        String diff = difference(value, back, as.getSimpleName(), 0);
        if (diff == null) {
            byte[] again;
            try {
                again = codec.encode(back);
            } catch (RuntimeException e) {
                throw new AssertionError(what + " " + show(value) + " is decoded from " + text(bytes)
                        + " into a value the codec cannot encode again: " + e.getMessage(), e);
            }
            diff = jsonDifference(bytes, again);
        }
        if (diff != null) {
            throw new AssertionError(what + " " + show(value) + " does not survive the codec's round trip (encoded as "
                    + text(bytes) + ", then decoded as the runtime does): " + diff);
        }
        return back;
    }

    /** The first difference between a value and its decoded copy, with its path, or null if none is seen. */
    static String difference(Object before, Object after, String path, int depth) {
        if (before == after || depth > MAX_DEPTH) {
            return null;
        }
        if (before == null || after == null) {
            return at(path, before, after);
        }
        Class<?> c = before.getClass();
        if (c.isArray()) {
            if (!c.equals(after.getClass())) {
                return at(path, before, after);
            }
            int n = Array.getLength(before);
            if (n != Array.getLength(after)) {
                return path + ": " + n + " elements before, " + Array.getLength(after) + " after";
            }
            for (int i = 0; i < n; i++) {
                String d = difference(Array.get(before, i), Array.get(after, i), path + "[" + i + "]", depth + 1);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (before instanceof Record && c.equals(after.getClass())) {
            for (RecordComponent rc : c.getRecordComponents()) {
                Object b;
                Object a;
                try {
                    Method accessor = rc.getAccessor();
                    accessor.setAccessible(true);
                    b = accessor.invoke(before);
                    a = accessor.invoke(after);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return before.equals(after) ? null : at(path, before, after);
                }
                String d = difference(b, a, path + "." + rc.getName(), depth + 1);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (before instanceof List<?> lb && after instanceof List<?> la) {
            if (lb.size() != la.size()) {
                return path + ": " + lb.size() + " elements before, " + la.size() + " after";
            }
            for (int i = 0; i < lb.size(); i++) {
                String d = difference(lb.get(i), la.get(i), path + "[" + i + "]", depth + 1);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (before instanceof Map<?, ?> mb && after instanceof Map<?, ?> ma) {
            for (Map.Entry<?, ?> e : mb.entrySet()) {
                if (!ma.containsKey(e.getKey())) {
                    return path + ": key " + show(e.getKey()) + " is missing after";
                }
                String d = difference(e.getValue(), ma.get(e.getKey()), path + "[" + e.getKey() + "]", depth + 1);
                if (d != null) {
                    return d;
                }
            }
            return mb.size() == ma.size() ? null : path + ": " + mb.size() + " entries before, " + ma.size() + " after";
        }
        if (before instanceof Optional<?> ob && after instanceof Optional<?> oa) {
            return difference(ob.orElse(null), oa.orElse(null), path, depth + 1);
        }
        if (overridesEquals(c)) {
            return before.equals(after) ? null : at(path, before, after);
        }
        // no value equality to go by: only a change of class is certain; the JSON comparison covers the rest
        return c.equals(after.getClass()) ? null : at(path, before, after);
    }

    private static boolean overridesEquals(Class<?> c) {
        try {
            return c.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String jsonDifference(byte[] first, byte[] again) {
        try {
            JsonNode a = JSON.readTree(first);
            JsonNode b = JSON.readTree(again);
            if (a != null && b != null) {
                return a.equals(b) ? null : "encoding the decoded value again gives " + text(again);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: compare the bytes
        }
        return Arrays.equals(first, again) ? null : "encoding the decoded value again gives different bytes";
    }

    private static String at(String path, Object before, Object after) {
        boolean classChanged = before != null && after != null && !before.getClass().equals(after.getClass());
        return path + ": " + show(before) + (classChanged ? " (" + before.getClass().getName() + ")" : "")
                + " before, " + show(after) + (classChanged ? " (" + after.getClass().getName() + ")" : "")
                + " after";
    }

    static String show(Object value) {
        String s;
        if (value == null) {
            s = "null";
        } else if (value instanceof String str) {
            s = '"' + str + '"';
        } else if (value.getClass().isArray()) {
            s = Arrays.deepToString(new Object[] {value});
            s = s.substring(1, s.length() - 1);
        } else {
            s = String.valueOf(value);
        }
        return cut(s);
    }

    static String text(byte[] bytes) {
        return cut(new String(bytes, StandardCharsets.UTF_8));
    }

    private static String cut(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...(" + s.length() + " characters)";
    }
}
