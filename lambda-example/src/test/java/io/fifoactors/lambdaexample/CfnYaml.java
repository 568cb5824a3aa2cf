package io.fifoactors.lambdaexample;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a CloudFormation/SAM template: the short intrinsic tags become their long form ({@code !Ref X} is
 * {@code {Ref: X}}, {@code !GetAtt A.Arn} is {@code {Fn::GetAtt: A.Arn}}, and so on).
 */
final class CfnYaml {
    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path template) {
        try (Reader r = Files.newBufferedReader(template)) {
            return (Map<String, Object>) new Yaml(new Intrinsics(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Intrinsics extends SafeConstructor {
        Intrinsics(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String fn = tag.equals("Ref") ? "Ref" : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode s) {
                        value = s.getValue();
                    } else if (node instanceof SequenceNode s) {
                        value = List.copyOf(constructSequence(s));
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    if (fn.equals("Fn::GetAtt") && value instanceof List<?> parts) {
                        value = parts.get(0) + "." + parts.get(1); // one form for both spellings
                    }
                    return Map.of(fn, value);
                }
            });
        }
    }

    // ---- navigation helpers

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object at = o;
        for (String p : path) {
            if (!(at instanceof Map)) {
                throw new AssertionError("no " + String.join(".", path) + " in the template (stopped at " + p + ")");
            }
            at = ((Map<String, Object>) at).get(p);
        }
        if (!(at instanceof Map)) {
            throw new AssertionError(String.join(".", path) + " is not a mapping: " + at);
        }
        return (Map<String, Object>) at;
    }

    static Object get(Object o, String... path) {
        String[] parent = java.util.Arrays.copyOf(path, path.length - 1);
        return map(o, parent).get(path[path.length - 1]);
    }
}
