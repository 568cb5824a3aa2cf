package io.fifoactors.examples.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a scenario run measured and which invariants held. */
public final class ScenarioReport {
    private final String name;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> appendices = new ArrayList<>();

    public ScenarioReport(String name) {
        this.name = name;
    }

    public ScenarioReport figure(String label, Object value) {
        figures.put(label, String.valueOf(value));
        return this;
    }

    public ScenarioReport check(Check check) {
        checks.add(check);
        return this;
    }

    /** Adds text printed after the checks (a table, for example), indented by two spaces. */
    public ScenarioReport appendix(String text) {
        appendices.add(text);
        return this;
    }

    public String name() {
        return name;
    }

    public Map<String, String> figures() {
        return figures;
    }

    public List<Check> checks() {
        return checks;
    }

    /** The texts printed after the checks. */
    public List<String> appendices() {
        return appendices;
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(name).append(" ==\n");
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        figures.forEach((k, v) -> sb.append(String.format("  %-" + width + "s  %s%n", k, v)));
        sb.append("  invariants:\n");
        checks.forEach(c -> sb.append("    ").append(c).append('\n'));
        appendices.forEach(a -> a.lines().forEach(l -> sb.append("  ").append(l).append('\n')));
        return sb.toString();
    }
}
