package io.fifoactors.core.port;

import io.fifoactors.property.Gen;
import io.fifoactors.property.Property;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceNumbersTest {
    /**
     * Numbers from 0 to 27 digits (SQS sequence numbers have 20 and more): any count of digits, unsigned longs
     * (around where a long ends) and tiny ones, so that a pair is often equal.
     */
    private static final Gen<BigInteger> NUMBERS = Gen.frequency(
            Gen.weighted(2, Gen.integers(0, 9).list(1, 27).map(SequenceNumbersTest::number)),
            Gen.weighted(1, Gen.longsAny().map(v -> new BigInteger(Long.toUnsignedString(v)))),
            Gen.weighted(1, Gen.integers(0, 3).map(BigInteger::valueOf)));

    private static BigInteger number(List<Integer> digits) {
        StringBuilder b = new StringBuilder();
        digits.forEach(b::append);
        return new BigInteger(b.toString());
    }

    @Test
    void comparesLikeNumbersEvenBeyondALong() {
        Property.forAll(NUMBERS, NUMBERS).check((a, b) -> assertEquals(Integer.signum(a.compareTo(b)),
                Integer.signum(SequenceNumbers.compare(a.toString(), b.toString())), a + " vs " + b));
    }

    @Test
    void noneIsBelowEverythingAndLeadingZerosDoNotMatter() {
        assertTrue(SequenceNumbers.compare(SequenceNumbers.NONE, "0") < 0);
        assertEquals(0, SequenceNumbers.compare("007", "7"));
        assertEquals("18849496460467696128", SequenceNumbers.max("9", "18849496460467696128"));
        assertThrows(IllegalArgumentException.class, () -> SequenceNumbers.check("12a"));
    }
}
