package io.fifoactors.e2e;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Named invariant checks with the figures behind them, printed as a report and then asserted all at once. */
final class Checks {
    private record Check(String name, boolean passed, String detail) {
    }

    private final String title;
    private final List<String> figures = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();

    Checks(String title) {
        this.title = title;
    }

    Checks figure(String label, Object value) {
        figures.add(String.format("  %-34s %s", label, value));
        return this;
    }

    Checks check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
        return this;
    }

    String render() {
        StringBuilder sb = new StringBuilder("== ").append(title).append(" ==\n");
        figures.forEach(f -> sb.append(f).append('\n'));
        for (Check c : checks) {
            sb.append(c.passed ? "  PASS  " : "  FAIL  ").append(c.name)
                    .append(c.detail.isEmpty() ? "" : "  (" + c.detail + ")").append('\n');
        }
        return sb.toString();
    }

    /** Prints the report and fails if a check failed. */
    void printAndAssert() {
        String report = render();
        System.out.println(report);
        if (checks.stream().anyMatch(c -> !c.passed)) {
            fail("invariants violated:\n" + report);
        }
    }
}
