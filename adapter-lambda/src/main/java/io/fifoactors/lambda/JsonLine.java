package io.fifoactors.lambda;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for one log line or one EMF document: strings, numbers, booleans, null, nested maps and
 * collections. Hand-written so that logging costs no reflection and no class loading beyond this class at cold
 * start. Not thread-safe; one instance per line.
 */
final class JsonLine {
    private final StringBuilder b = new StringBuilder(256);
    private boolean first = true;

    JsonLine() {
        b.append('{');
    }

    /** Adds a field; a null value is skipped (absent fields keep lines short). */
    JsonLine field(String name, Object value) {
        if (value == null) {
            return this;
        }
        if (!first) {
            b.append(',');
        }
        first = false;
        string(b, name);
        b.append(':');
        value(b, value);
        return this;
    }

    /** The finished line, without a line break. */
    String end() {
        b.append('}');
        return b.toString();
    }

    static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof CharSequence s) {
            string(b, s);
        } else if (v instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean firstEntry = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!firstEntry) {
                    b.append(',');
                }
                firstEntry = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean firstItem = true;
            for (Object o : c) {
                if (!firstItem) {
                    b.append(',');
                }
                firstItem = false;
                value(b, o);
            }
            b.append(']');
        } else {
            string(b, v.toString());
        }
    }

    static void string(StringBuilder b, CharSequence s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validPair(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean validPair(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
