package io.fifoactors.lambdaexample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.fifoactors.lambdaexample.CfnYaml.map;

/**
 * A template (as {@link CfnYaml} loads it) as CloudFormation would deploy it with given parameter values: its
 * conditions evaluated, {@code Fn::If} replaced by the branch taken, {@code AWS::NoValue} removed, resources whose
 * condition is false left out, {@code Fn::GetAtt} in its list form. Static checkers such as cfn-guard cannot
 * evaluate conditions, and a rule on a property behind {@code Fn::If} then fails for every parameter value alike.
 */
final class CfnResolve {
    private static final Object NO_VALUE = new Object();

    private final Map<String, Object> conditions;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, Boolean> evaluated = new HashMap<>();

    private CfnResolve(Map<String, Object> template, Map<String, String> overrides) {
        Object c = template.get("Conditions");
        this.conditions = c == null ? Map.of() : map(c);
        Object p = template.get("Parameters");
        if (p != null) {
            map(p).forEach((name, def) -> {
                Object d = map(def).get("Default");
                if (d != null) {
                    parameters.put(name, d.toString());
                }
            });
        }
        overrides.forEach((name, value) -> {
            if (p == null || !map(p).containsKey(name)) {
                throw new IllegalArgumentException("the template has no parameter " + name);
            }
            parameters.put(name, value);
        });
    }

    static Map<String, Object> withParameters(Map<String, Object> template, Map<String, String> overrides) {
        CfnResolve r = new CfnResolve(template, overrides);
        Map<String, Object> out = new LinkedHashMap<>();
        template.forEach((section, value) -> {
            if (section.equals("Resources") || section.equals("Outputs")) {
                Map<String, Object> kept = new LinkedHashMap<>();
                map(value).forEach((name, v) -> {
                    Map<String, Object> item = new LinkedHashMap<>(map(v));
                    Object condition = item.remove("Condition");
                    if (condition == null || r.condition(condition.toString())) {
                        kept.put(name, r.walk(item));
                    }
                });
                out.put(section, kept);
            } else if (!section.equals("Conditions")) {
                out.put(section, value);
            }
        });
        return out;
    }

    private boolean condition(String name) {
        Boolean known = evaluated.get(name);
        if (known != null) {
            return known;
        }
        Object expr = conditions.get(name);
        if (expr == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        boolean value = evaluate(expr);
        evaluated.put(name, value);
        return value;
    }

    private boolean evaluate(Object expr) {
        Map<String, Object> fn = map(expr);
        if (fn.size() != 1) {
            throw new IllegalArgumentException("not a condition function: " + expr);
        }
        Map.Entry<String, Object> e = fn.entrySet().iterator().next();
        List<?> args = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
        switch (e.getKey()) {
            case "Condition":
                return condition(e.getValue().toString());
            case "Fn::Equals":
                return value(args.get(0)).equals(value(args.get(1)));
            case "Fn::Not":
                return !evaluate(args.get(0));
            case "Fn::And":
                return args.stream().allMatch(this::evaluate);
            case "Fn::Or":
                return args.stream().anyMatch(this::evaluate);
            default:
                throw new IllegalArgumentException("a condition function this resolver does not know: " + expr);
        }
    }

    private String value(Object o) {
        if (o instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") instanceof String name) {
            String v = parameters.get(name);
            if (v == null) {
                throw new IllegalArgumentException("a condition on " + name + ", which has no value here");
            }
            return v;
        }
        if (o instanceof Map || o instanceof List) {
            throw new IllegalArgumentException("a condition operand this resolver does not know: " + o);
        }
        return o.toString();
    }

    private Object walk(Object node) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("Fn::If") instanceof List<?> branches) {
                return walk(condition(branches.get(0).toString()) ? branches.get(1) : branches.get(2));
            }
            if (m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
                return NO_VALUE;
            }
            if (m.size() == 1 && m.get("Fn::GetAtt") instanceof String attribute) {
                // JSON's form, [resource, attribute]: Guard rules that follow a reference read only that one
                int dot = attribute.indexOf('.');
                return Map.of("Fn::GetAtt", List.of(attribute.substring(0, dot), attribute.substring(dot + 1)));
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object w = walk(v);
                if (w != NO_VALUE) {
                    out.put(k, w);
                }
            });
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) {
                Object w = walk(v);
                if (w != NO_VALUE) {
                    out.add(w);
                }
            }
            return out;
        }
        return node;
    }
}
