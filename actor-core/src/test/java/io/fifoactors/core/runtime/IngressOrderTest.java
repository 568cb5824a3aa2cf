package io.fifoactors.core.runtime;

import io.fifoactors.property.Gen;
import io.fifoactors.property.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IngressOrderTest {
    sealed interface Tx permits Deposit, Transfer {
    }

    record Deposit(int n) implements Tx {
    }

    record Transfer(int n) implements Tx {
    }

    @Test
    void depositsGoFirstAndEachKindKeepsItsOrder() {
        Property.forAll(Gen.integers(0, 1).list(0, 40)).check(IngressOrderTest::checkOrder);
    }

    private static void checkOrder(List<Integer> kinds) {
        List<Tx> batch = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            batch.add(kinds.get(i) == 0 ? new Deposit(i) : new Transfer(i));
        }
        OrderingRule<Tx> rule = OrderingRule.byClass(List.of(Deposit.class, Transfer.class));
        List<Tx> sorted = new ArrayList<>(batch);
        sorted.sort(java.util.Comparator.comparingInt(rule::rank));
        List<Tx> expected = new ArrayList<>();
        batch.stream().filter(t -> t instanceof Deposit).forEach(expected::add);
        batch.stream().filter(t -> t instanceof Transfer).forEach(expected::add);
        assertEquals(expected, sorted);
    }
}
