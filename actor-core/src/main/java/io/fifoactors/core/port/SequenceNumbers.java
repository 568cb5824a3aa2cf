package io.fifoactors.core.port;

/**
 * Ordering of mailbox sequence numbers: non-negative decimal strings of any length (SQS's exceed a long), compared
 * as numbers. The empty string is below every number and stands for "none yet".
 *
 * <pre>{@code
 * SequenceNumbers.compare("9", "10") < 0   // true
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SequenceNumbers {
    /** Below every sequence number. */
    public static final String NONE = "";

    private SequenceNumbers() {
    }

    /** Negative, zero or positive as {@code a} is below, equal to or above {@code b} numerically. */
    public static int compare(String a, String b) {
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return x.compareTo(y);
    }

    /** The larger of the two. */
    public static String max(String a, String b) {
        return compare(a, b) >= 0 ? a : b;
    }

    /** Checks that {@code s} is a decimal sequence number and returns it. */
    public static String check(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("sequence number is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("sequence number is not decimal");
            }
        }
        return s;
    }

    private static String stripLeadingZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }
}
