package io.fifoactors.examples.demo;

/** One invariant check of a scenario: what it claims, whether it held, and the figures behind it. */
public record Check(String name, boolean passed, String detail) {
    public static Check of(String name, boolean passed, String detail) {
        return new Check(name, passed, detail);
    }

    @Override
    public String toString() {
        return (passed ? "PASS" : "FAIL") + "  " + name + (detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}
