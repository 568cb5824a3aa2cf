package io.fifoactors.core.runtime;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

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

    @Property
    void depositsGoFirstAndEachKindKeepsItsOrder(@ForAll @Size(max = 40) List<@IntRange(max = 1) Integer> kinds) {
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
