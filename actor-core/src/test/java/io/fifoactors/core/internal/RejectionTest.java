package io.fifoactors.core.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class RejectionTest {
    @Test
    void aShortReasonIsKeptWhole() {
        String reason = "x".repeat(Rejection.KEPT_REASON_CHARS);
        assertSame(reason, Rejection.kept("m", "T", reason, 1).reason());
    }

    @Test
    void aLongReasonIsCutToTheLimitWithAnEllipsis() {
        String kept = Rejection.kept("m", "T", "y".repeat(500), 1).reason();
        assertEquals(Rejection.KEPT_REASON_CHARS, kept.length());
        assertEquals('\u2026', kept.charAt(kept.length() - 1));
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String reason = "z".repeat(Rejection.KEPT_REASON_CHARS - 2) + "\uD83D\uDE00" + "tail";
        String kept = Rejection.kept("m", "T", reason, 1).reason();
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 2)));
        assertEquals("z".repeat(Rejection.KEPT_REASON_CHARS - 2) + "\u2026", kept);
    }
}
