package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.fifoactors.lambdaexample.CfnYaml.get;
import static io.fifoactors.lambdaexample.CfnYaml.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS Control Tower proactive controls, run as Guard rules by cfn-guard (both from the pinned npm package in
 * src/test/cfn-guard), find nothing in docs/deploy/template.yaml that docs/deploy/cfn-guard-allowed.txt does not
 * list with its reason. The template is checked as it would be deployed, once per value of the Redrive parameter:
 * conditions resolved ({@link CfnResolve}; Guard cannot evaluate {@code Fn::If}), then expanded by the SAM
 * translator that cfn-lint ships, because the controls match {@code AWS::Lambda::*} types only and skip an
 * {@code AWS::Serverless::Function}.
 */
class TemplateGuardIT {
    static final String ALLOW_LIST = "cfn-guard-allowed.txt";
    private static final Pattern CONTROL = Pattern.compile("\\[(CT\\.[A-Z0-9]+\\.PR\\.\\d+)]");
    private static final Pattern RESOURCE = Pattern.compile("^/Resources/([^/\\[]+)");

    @Test
    void theControlTowerRulesFindOnlyWhatIsAllowedForEachRedriveMode() throws IOException {
        Path template = TemplateTools.templatePath().toAbsolutePath().normalize();
        Map<String, Object> sam = CfnYaml.load(template);
        Path install = TemplateTools.guardInstall();
        Path guard = TemplateTools.cfnGuard(install);
        Path rules = TemplateTools.controlTowerRules(install);
        Path work = FunctionProcess.workDir();
        AllowList allowed = AllowList.read(template.resolveSibling(ALLOW_LIST), 3);

        List<String> unexpected = new ArrayList<>();
        Map<String, Set<String>> found = new LinkedHashMap<>();
        for (Object mode : (List<?>) get(sam, "Parameters", "Redrive", "AllowedValues")) {
            String variant = "Redrive=" + mode;
            Path expanded = expand(sam, Map.of("Redrive", mode.toString()), work.resolve("guard-" + mode));
            Map<String, Object> cfn = CfnYaml.load(expanded); // JSON is YAML
            assertTrue(map(cfn, "Resources").values().stream()
                            .anyMatch(r -> "AWS::Lambda::Function".equals(map(r).get("Type"))),
                    "the SAM translator made the function an AWS::Lambda::Function");

            TemplateTools.Run r = TemplateTools.run(List.of(guard.toString(), "validate", "--rules", rules.toString(),
                    "--data", expanded.toString(), "--structured", "--show-summary", "none", "--output-format",
                    "json"), work, Map.of(), null);
            // 0: all compliant, 19: some rule failed; anything else is cfn-guard's own failure
            assertTrue(r.exitCode() == 0 || r.exitCode() == 19, "cfn-guard failed: " + r.describe());
            JsonNode report = EsmEvents.JSON.readTree(r.stdout()).get(0);
            Set<String> evaluated = new TreeSet<>();
            report.path("compliant").forEach(n -> evaluated.add(n.asText()));
            Set<String> findings = new TreeSet<>();
            for (JsonNode failed : report.path("not_compliant")) {
                String rule = failed.path("Rule").path("name").asText();
                evaluated.add(rule);
                String control = first(CONTROL, failed.toString()).orElse(rule);
                Set<String> resources = new TreeSet<>();
                failed.findValues("path").forEach(p -> first(RESOURCE, p.asText()).ifPresent(resources::add));
                assertFalse(resources.isEmpty(), "a finding without a resource: " + failed);
                for (String resource : resources) {
                    findings.add(control + " " + resource);
                    if (!allowed.allows(List.of(control, variant, resource))) {
                        unexpected.add(variant + ": " + control + " (" + rule + ") on " + resource);
                    }
                }
            }
            // the rules ran and saw the queues, the table, the role and the function (expanded), not skipped them all
            assertTrue(evaluated.containsAll(List.of("sqs_queue_encrypted_check", "dynamodb_table_pitr_enabled_check",
                    "iam_inline_policy_no_statements_with_admin_access_check", "lambda_inside_vpc_check")),
                    variant + " evaluated only " + evaluated);
            found.put(variant, findings);
            assertEquals(r.exitCode() == 19, !findings.isEmpty(), "the exit code agrees: " + r.describe());
        }
        System.out.printf("%n[guard] Control Tower findings per deployment, all listed in %s: %s%n", ALLOW_LIST,
                found);
        assertEquals(List.of(), unexpected, "Control Tower findings not in " + ALLOW_LIST);
        assertEquals(List.of(), allowed.stale(), "allowed findings that cfn-guard no longer reports");
    }

    /** The template as deployed with these parameters, as plain CloudFormation (JSON) in {@code dir}. */
    private static Path expand(Map<String, Object> sam, Map<String, String> parameters, Path dir) throws IOException {
        FunctionProcess.deleteTree(dir);
        Files.createDirectories(dir);
        Map<String, Object> resolved = CfnResolve.withParameters(sam, parameters);
        // sam deploy uploads a local CodeUri and puts its S3 location there; the translator accepts only that
        map(resolved, "Resources").values().forEach(r -> {
            Map<String, Object> resource = map(r);
            if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
                Map<String, Object> p = map(resource, "Properties");
                String file = Path.of(p.get("CodeUri").toString()).getFileName().toString();
                p.put("CodeUri", "s3://sam-deploy-bucket/" + file);
            }
        });
        Path resolvedFile = dir.resolve("resolved.json");
        EsmEvents.JSON.writerWithDefaultPrettyPrinter().writeValue(resolvedFile.toFile(), resolved);

        Path cfnLint = TemplateTools.cfnLint();
        Path script = TemplateTools.guardPackageSource().resolve("sam_expand.py").toAbsolutePath();
        TemplateTools.Run r = TemplateTools.run(List.of(TemplateTools.python(cfnLint), script.toString()), dir,
                Map.of("AWS_DEFAULT_REGION", "us-east-1"), resolvedFile);
        assertEquals(0, r.exitCode(), "the SAM translator (shipped with " + cfnLint + ") could not expand "
                + resolvedFile + ": " + r.describe());
        Path expanded = dir.resolve("expanded.json");
        Files.writeString(expanded, r.stdout());
        return expanded;
    }

    private static Optional<String> first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
