package io.fifoactors.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActorIdTest {
    @Test
    void mapsToAGroupIdAndBack() {
        ActorId id = ActorId.of("account", "acc/42:x");
        assertEquals("account/acc/42:x", id.groupId());
        assertEquals(id, ActorId.fromGroupId("account/acc/42:x"));
        assertEquals("acc/42:x", ActorId.fromGroupId(id.groupId()).key());
    }

    @Test
    void refusesWhatSqsWouldRefuseWithAClearMessage() {
        assertTrue(assertThrows(InvalidActorIdException.class, () -> ActorId.of("account", ""))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(InvalidActorIdException.class, () -> ActorId.of("account", "a b"))
                .getMessage().contains("index 1"));
        assertTrue(assertThrows(InvalidActorIdException.class, () -> ActorId.of("account", "caf\u00e9"))
                .getMessage().contains("printable ASCII"));
        assertTrue(assertThrows(InvalidActorIdException.class, () -> ActorId.of("account", "k".repeat(121)))
                .getMessage().contains("at most 120"));
        assertThrows(InvalidActorIdException.class, () -> ActorId.of("1account", "k"));
        assertThrows(InvalidActorIdException.class, () -> ActorId.of("acc/ount", "k"));
        assertThrows(InvalidActorIdException.class, () -> ActorId.fromGroupId("no-slash"));
        assertThrows(InvalidActorIdException.class, () -> ActorId.fromGroupId("/key"));
        assertEquals(128, ActorId.of("account", "k".repeat(120)).groupId().length());
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(120);
    }

    @Property
    void everyValidKeyRoundTripsThroughAnSqsGroupId(@ForAll("keys") String key) {
        ActorId id = ActorId.of("account", key);
        String group = id.groupId();
        assertTrue(group.length() <= 128);
        assertTrue(group.chars().allMatch(c -> c >= 0x21 && c <= 0x7E));
        assertEquals(id, ActorId.fromGroupId(group));
    }
}
