package io.fifoactors.testkit;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.property.Gen;
import io.fifoactors.property.PropertyFailure;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users' property runner: passes on a correct actor under faults, finds and replays a bug. */
class SimulationPropertyTest {
    sealed interface Msg {
    }

    record Add(int n) implements Msg {
    }

    record Total(long value) {
    }

    static ActorType<Total, Msg> adder(boolean buggy) {
        return ActorType.builder("adder", Total.class, Msg.class)
                .initialState(id -> new Total(0))
                // the bug: an addition of 7 counts twice
                .on(Add.class, (t, a, ctx) -> Effect.persist(new Total(t.value() + (buggy && a.n() == 7 ? 14 : a.n()))))
                .build();
    }

    private static final Gen<List<Integer>> AMOUNTS = Gen.integers(1, 9).list(1, 20);

    private static void sumsUp(List<Integer> amounts, World world, ActorType<Total, Msg> type) {
        for (int i = 0; i < amounts.size(); i++) {
            world.tell(type.ref("x"), new Add(amounts.get(i)), "add-" + i);
        }
        world.runUntilQuiet();
        assertEquals(amounts.stream().mapToLong(Integer::longValue).sum(), world.state(type, "x").value());
    }

    @Test
    void aCorrectActorKeepsItsInvariantUnderEveryKindOfFault() {
        ActorType<Total, Msg> type = adder(false);
        SimulationProperty.forAll(AMOUNTS).actors(b -> b.register(type)).tries(200)
                .check((amounts, world) -> sumsUp(amounts, world, type));
    }

    @Test
    void aBugIsFoundShrunkAndReportedWithItsReplay() {
        ActorType<Total, Msg> type = adder(true);
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> SimulationProperty.forAll(AMOUNTS)
                .actors(b -> b.register(type)).tries(200).seed(42)
                .check((amounts, world) -> sumsUp(amounts, world, type)));
        assertEquals(List.of(7), f.shrunk().get(0), "the smallest workload that shows the bug");
        assertTrue(f.getMessage().contains(".seed(42)") || f.getMessage().contains("seed 42"), f.getMessage());
    }

    @Test
    void aGivenExampleIsCheckedAsIsAndSettingsFollowTheSetup() {
        ActorType<Total, Msg> buggy = adder(true);
        SimulationProperty<List<Integer>> p = SimulationProperty.forAll(AMOUNTS).actors(b -> b.register(buggy));
        p.checkExample(List.of(1, 2), Setup.quiet(3), (amounts, world) -> sumsUp(amounts, world, buggy));
        AssertionError e = assertThrows(AssertionError.class, () -> p.checkExample(List.of(7), Setup.quiet(3),
                (amounts, world) -> sumsUp(amounts, world, buggy)));
        assertTrue(e.getMessage().contains("expected: <7> but was: <14>"), e.getMessage());

        ActorType<Total, Msg> type = adder(false);
        java.util.Set<Integer> caches = java.util.concurrent.ConcurrentHashMap.newKeySet();
        SimulationProperty.forAll(AMOUNTS).tries(20)
                .actors((b, setup) -> {
                    int cache = setup.consumers() % 2 == 0 ? 100 : 0;
                    caches.add(cache);
                    b.register(type).recordCache(cache);
                })
                .check((amounts, world) -> sumsUp(amounts, world, type));
        assertEquals(java.util.Set.of(0, 100), caches, "settings chosen per try from its setup");
    }
}
