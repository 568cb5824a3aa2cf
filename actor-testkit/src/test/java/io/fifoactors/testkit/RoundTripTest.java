package io.fifoactors.testkit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The comparison behind the round-trip check: exact where it can be, silent where it cannot tell. */
class RoundTripTest {
    record Blob(byte[] bytes, List<String> tags) {
    }

    /** No equals: identity only. */
    static final class Plain {
        final int x;

        Plain(int x) {
            this.x = x;
        }
    }

    record Holder(Plain plain, Optional<String> name, Set<Integer> ids) {
    }

    @Test
    void equalContentInDifferentInstancesIsNoDifference() {
        assertNull(RoundTrip.difference(new Blob(new byte[] {1, 2}, List.of("a")),
                new Blob(new byte[] {1, 2}, new ArrayList<>(List.of("a"))), "Blob", 0));
        // a class without equals cannot be compared, and a set may change its implementation
        assertNull(RoundTrip.difference(new Holder(new Plain(1), Optional.of("n"), Set.of(1, 2)),
                new Holder(new Plain(1), Optional.of("n"), new HashSet<>(List.of(2, 1))), "Holder", 0));
    }

    @Test
    void firstDifferenceIsReportedWithItsPath() {
        assertEquals("Blob.bytes[1]: 2 before, 3 after", RoundTrip.difference(
                new Blob(new byte[] {1, 2}, List.of()), new Blob(new byte[] {1, 3}, List.of()), "Blob", 0));
        assertEquals("Blob.tags: 2 elements before, 1 after", RoundTrip.difference(
                new Blob(new byte[0], List.of("a", "b")), new Blob(new byte[0], List.of("a")), "Blob", 0));
        assertEquals("Holder.name: \"n\" before, null after", RoundTrip.difference(
                new Holder(null, Optional.of("n"), Set.of()), new Holder(null, Optional.empty(), Set.of()),
                "Holder", 0));
        assertEquals("M: key \"k\" is missing after", RoundTrip.difference(Map.of("k", 1), Map.of("j", 1), "M", 0));
    }
}
