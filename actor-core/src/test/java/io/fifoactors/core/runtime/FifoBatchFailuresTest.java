package io.fifoactors.core.runtime;

import io.fifoactors.property.Gen;
import io.fifoactors.property.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FifoBatchFailuresTest {
    record Msg(int index, String group, boolean failed) {
    }

    @Test
    void failsTheFailedMessageAndTheRestOfItsGroupOnly() {
        List<Msg> batch = List.of(new Msg(0, "a", false), new Msg(1, "b", false), new Msg(2, "a", true),
                new Msg(3, "b", false), new Msg(4, "a", false), new Msg(5, "c", false));
        List<Msg> failed = FifoBatchFailures.failedWithSuffix(batch, Msg::group, Msg::failed);
        assertEquals(List.of(batch.get(2), batch.get(4)), failed);
    }

    @Test
    void keepsEveryGroupsOrderAndTouchesNoHealthyGroup() {
        Property.forAll(Gen.integers(0, 3).list(0, 10), Gen.booleans().list(0, 10))
                .check(FifoBatchFailuresTest::checkFailures);
    }

    private static void checkFailures(List<Integer> groups, List<Boolean> failures) {
        List<Msg> batch = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            batch.add(new Msg(i, "g" + groups.get(i), i < failures.size() && failures.get(i)));
        }
        List<Msg> failed = FifoBatchFailures.failedWithSuffix(batch, Msg::group, Msg::failed);
        Set<Msg> failedSet = new HashSet<>(failed);
        for (Msg m : batch) {
            boolean earlierFailureInGroup = batch.stream()
                    .anyMatch(o -> o.group().equals(m.group()) && o.index() <= m.index() && o.failed());
            assertEquals(earlierFailureInGroup, failedSet.contains(m), "message " + m);
        }
        for (int i = 1; i < failed.size(); i++) {
            assertTrue(failed.get(i - 1).index() < failed.get(i).index(), "failures keep batch order");
        }
    }
}
