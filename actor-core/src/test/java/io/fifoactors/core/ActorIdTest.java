package io.fifoactors.core;

import io.fifoactors.property.Gen;
import io.fifoactors.property.Property;
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

    /** Every key SQS accepts: printable ASCII but the space, 1 to 120 characters. */
    private static final Gen<String> KEYS = Gen.strings(Gen.chars('!', '~'), 1, 120);

    @Test
    void everyValidKeyRoundTripsThroughAnSqsGroupId() {
        Property.forAll(KEYS).check(key -> {
            ActorId id = ActorId.of("account", key);
            String group = id.groupId();
            assertTrue(group.length() <= 128);
            assertTrue(group.chars().allMatch(c -> c >= 0x21 && c <= 0x7E));
            assertEquals(id, ActorId.fromGroupId(group));
        });
    }

    /** The rule the hand-written check implements, as it was first written. */
    private static final java.util.regex.Pattern TYPE_RULE =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    /** Whether the check runs without refusing. */
    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (InvalidActorIdException e) {
            return false;
        }
    }

    private static boolean accepted(String type) {
        return accepts(() -> ActorId.checkType(type));
    }

    @Test
    void theTypeCheckIsExactlyTheDocumentedRuleAtEveryCharacterAndLength() {
        for (char c = 0; c < 0x300; c++) {
            for (String t : new String[] {c + "", "a" + c, "a" + c + "b", "Z" + "x".repeat(38) + c}) {
                assertEquals(TYPE_RULE.matcher(t).matches(), accepted(t),
                        "char " + (int) c + " in " + t.length() + " characters");
            }
        }
        for (int n = 0; n <= 42; n++) {
            String t = "a".repeat(n);
            assertEquals(TYPE_RULE.matcher(t).matches(), accepted(t), "length " + n);
        }
    }

    /** Strings near the rule: its characters and some it refuses, up to 5 characters too long. */
    private static final Gen<String> TYPE_LIKE = Gen.strings(Gen.chars("aZz09_-/ .A\u00e9"), 0, 45);

    @Test
    void theTypeCheckAgreesWithTheRegularExpression() {
        Property.forAll(TYPE_LIKE).check(type -> assertEquals(TYPE_RULE.matcher(type).matches(), accepted(type)));
    }

    @Test
    void fromGroupIdKeepsTheGivenStringAndRefusesWhatOfRefusesWithTheSameMessage() {
        String group = new String("account/acc-42");
        ActorId id = ActorId.fromGroupId(group);
        org.junit.jupiter.api.Assertions.assertSame(group, id.groupId());
        assertEquals(ActorId.of("account", "acc-42"), id);
        assertEquals("acc-42", id.key());
        assertEquals("account", id.type());
        String[][] bad = {{"account", "a b"}, {"account", "caf\u00e9"}, {"account", "k".repeat(121)}, {"account", ""},
                {"1account", "k"}, {"a".repeat(41), "k"}};
        for (String[] b : bad) {
            String viaOf = assertThrows(InvalidActorIdException.class, () -> ActorId.of(b[0], b[1])).getMessage();
            String viaGroup = assertThrows(InvalidActorIdException.class,
                    () -> ActorId.fromGroupId(b[0] + "/" + b[1])).getMessage();
            assertEquals(viaOf, viaGroup);
        }
    }

    /** Group-id-like strings: a type part, maybe a slash, a key part, with characters on both sides of each rule. */
    private static final Gen<String> GROUP_LIKE = Gen.strings(Gen.chars("aZz09_-/ .A\u00e9~!\u007f"), 0, 135);

    private static boolean parses(String group) {
        return accepts(() -> ActorId.fromGroupId(group));
    }

    @Test
    void isGroupIdAgreesWithFromGroupId() {
        Property.forAll(GROUP_LIKE).check(text -> assertEquals(parses(text), ActorId.isGroupId(text), text));
        for (String text : new String[]{"a/b", "/b", "a/", "a", "", "1a/b", "a".repeat(40) + "/k",
                "a".repeat(41) + "/k", "a/" + "k".repeat(126), "a/" + "k".repeat(127), "ab/" + "k".repeat(125),
                "a/b c", "a/b/c", "a/\u007f", "a/~", "a-_9/!"}) {
            assertEquals(parses(text), ActorId.isGroupId(text), text);
        }
    }
}
