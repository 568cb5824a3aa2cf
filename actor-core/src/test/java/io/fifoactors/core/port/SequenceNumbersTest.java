package io.fifoactors.core.port;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceNumbersTest {
    @Property
    void comparesLikeNumbersEvenBeyondALong(@ForAll @BigRange(min = "0", max = "999999999999999999999999999") BigInteger a,
                                            @ForAll @BigRange(min = "0", max = "999999999999999999999999999") BigInteger b) {
        assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(SequenceNumbers.compare(a.toString(), b.toString())));
    }

    @Test
    void noneIsBelowEverythingAndLeadingZerosDoNotMatter() {
        assertTrue(SequenceNumbers.compare(SequenceNumbers.NONE, "0") < 0);
        assertEquals(0, SequenceNumbers.compare("007", "7"));
        assertEquals("18849496460467696128", SequenceNumbers.max("9", "18849496460467696128"));
        assertThrows(IllegalArgumentException.class, () -> SequenceNumbers.check("12a"));
    }
}
