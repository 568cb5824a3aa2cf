package io.fifoactors.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's item size and capacity unit rules, for the capacity the store computes where a server reports none.
 *
 * <p>Sizes follow the Developer Guide, "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html): an item is the
 * sum of its attribute names (UTF-8 bytes) and values; a string counts its UTF-8 bytes, a binary value its raw bytes
 * (not base64), a boolean or null 1 byte, a list or map 3 bytes plus 1 byte per element plus the elements. A number
 * counts "approximately 1 byte per two significant digits, plus 1 byte"; precisely, this class counts the base-100
 * digit pairs of the number aligned on its decimal point (so 120 is the two pairs 01|20), plus 1 byte, plus 1 for a
 * negative number, which is also what dynalite 4.0.0 counts (a test compares the two on many items).
 *
 * <p>Units follow "DynamoDB read and write operations"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html): a read takes 1 unit
 * per started 4 KB of the item (half of that if eventually consistent), also when the item does not exist; each item
 * of a BatchGetItem counts alone; a write takes 1 unit per started KB of the larger of the item before and after.
 * 1 KB is 1024 bytes. Stateless.
 */
final class ItemSizes {
    static final int READ_UNIT_BYTES = 4 * 1024;
    static final int WRITE_UNIT_BYTES = 1024;

    private ItemSizes() {
    }

    /** The size DynamoDB bills for an item. */
    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    static long valueSize(AttributeValue v) {
        if (v.s() != null) {
            return utf8Length(v.s());
        }
        if (v.n() != null) {
            return numberSize(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteBuffer().remaining();
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSizes::utf8Length).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(ItemSizes::numberSize).sum();
        }
        if (v.hasBs()) {
            return v.bs().stream().mapToLong(b -> b.asByteBuffer().remaining()).sum();
        }
        if (v.hasL()) {
            List<AttributeValue> l = v.l();
            return 3 + l.size() + l.stream().mapToLong(ItemSizes::valueSize).sum();
        }
        if (v.hasM()) {
            Map<String, AttributeValue> m = v.m();
            return 3 + m.size() + itemSize(m);
        }
        return 0;
    }

    /** The stored size of a number given as DynamoDB's decimal string. */
    static long numberSize(String decimal) {
        BigDecimal n = new BigDecimal(decimal);
        if (n.signum() == 0) {
            return 1;
        }
        BigDecimal stripped = n.stripTrailingZeros();
        int digits = stripped.unscaledValue().abs().toString().length();
        int lowExponent = -stripped.scale();
        int highExponent = lowExponent + digits - 1;
        long pairs = Math.floorDiv(highExponent, 2) - Math.floorDiv(lowExponent, 2) + 1;
        return pairs + 1 + (n.signum() < 0 ? 1 : 0);
    }

    static long utf8Length(String s) {
        long ascii = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            ascii++;
        }
        return ascii;
    }

    /** Read units of one item of {@code size} bytes (0 for an item that does not exist: still one block). */
    static double readUnits(long size, boolean strong) {
        long blocks = Math.max(1, (size + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        return strong ? blocks : blocks / 2.0;
    }

    /** Write units of a write whose larger item (before or after) has {@code size} bytes; at least 1. */
    static double writeUnits(long size) {
        return Math.max(1, (size + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }
}
