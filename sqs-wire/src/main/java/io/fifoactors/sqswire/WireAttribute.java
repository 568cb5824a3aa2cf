package io.fifoactors.sqswire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One SQS message attribute as it travels: a data type ({@code String}, {@code Number}, {@code Binary}, possibly
 * with a custom label such as {@code Binary.gzip}) and either a string or a binary value. The neutral form between
 * an SDK's attribute type and the rules of {@link SqsWire}.
 *
 * <pre>{@code
 * WireAttribute type = WireAttribute.string("Deposit");
 * }</pre>
 *
 * <p>Immutable by convention (the binary value is shared, not copied). Thread-safe under that convention.
 *
 * @param dataType    the data type, never null
 * @param stringValue the value of a String or Number attribute, else null
 * @param binaryValue the value of a Binary attribute, else null
 */
public record WireAttribute(String dataType, String stringValue, byte[] binaryValue) {
    /** The String data type. */
    public static final String STRING = "String";
    /** The Binary data type. */
    public static final String BINARY = "Binary";

    public WireAttribute {
        Objects.requireNonNull(dataType, "dataType");
    }

    /** A String attribute. */
    public static WireAttribute string(String value) {
        return new WireAttribute(STRING, Objects.requireNonNull(value, "value"), null);
    }

    /** A Binary attribute. */
    public static WireAttribute binary(byte[] value) {
        return new WireAttribute(BINARY, null, Objects.requireNonNull(value, "value"));
    }

    /** True for Binary and Binary with a custom label. */
    public boolean isBinary() {
        return dataType.startsWith(BINARY);
    }

    /** The bytes SQS counts for the value (UTF-8 of a string value, or the binary value's length). */
    long valueBytes() {
        if (binaryValue != null) {
            return binaryValue.length;
        }
        return stringValue == null ? 0 : SqsWire.utf8Length(stringValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireAttribute a && dataType.equals(a.dataType) && Objects.equals(stringValue, a.stringValue)
                && Arrays.equals(binaryValue, a.binaryValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, stringValue) * 31 + Arrays.hashCode(binaryValue);
    }

    @Override
    public String toString() {
        return "WireAttribute[" + dataType + ", " + (binaryValue != null ? binaryValue.length + " bytes"
                : (stringValue == null ? "no value" : SqsWire.utf8Length(stringValue) + " bytes")) + "]";
    }
}
