package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cfn-lint, informational checks included, finds nothing in docs/deploy/template.yaml: no error or warning at all,
 * and no informational finding unless docs/deploy/cfn-lint-allowed.txt lists it with its reason. cfn-lint handles
 * the SAM transform itself and runs offline. Without cfn-lint this test fails (see {@link TemplateTools#cfnLint()}).
 */
class TemplateLintIT {
    static final String ALLOW_LIST = "cfn-lint-allowed.txt";

    @Test
    void cfnLintFindsNothingButTheAllowedInformation() throws IOException {
        Path template = TemplateTools.templatePath().toAbsolutePath().normalize();
        Path cfnLint = TemplateTools.cfnLint();
        TemplateTools.Run version = TemplateTools.run(List.of(cfnLint.toString(), "--version"),
                template.getParent(), Map.of(), null);
        assertEquals(0, version.exitCode(), version.describe());

        TemplateTools.Run r = TemplateTools.run(List.of(cfnLint.toString(), "--format", "json",
                "--include-checks", "I", "--", template.toString()), template.getParent(), Map.of(), null);
        // exit code: a bit per level found (2 error, 4 warning, 8 informational); 1 is cfn-lint's own failure
        assertEquals(0, r.exitCode() & 1, "cfn-lint failed: " + r.describe());
        JsonNode findings = EsmEvents.JSON.readTree(r.stdout());
        assertTrue(findings.isArray(), r.describe());

        AllowList allowed = AllowList.read(template.resolveSibling(ALLOW_LIST), 2);
        List<String> unexpected = new ArrayList<>();
        for (JsonNode f : findings) {
            String rule = f.path("Rule").path("Id").asText();
            List<String> path = new ArrayList<>();
            f.path("Location").path("Path").forEach(p -> path.add(p.asText()));
            String where = String.join("/", path);
            String text = f.path("Level").asText() + " " + rule + " " + where + " (line "
                    + f.path("Location").path("Start").path("LineNumber").asInt() + "): " + f.path("Message").asText();
            boolean informational = "Informational".equals(f.path("Level").asText());
            if (!informational || !allowed.allows(List.of(rule, where))) {
                unexpected.add(text);
            }
        }
        String tool = version.stdout().strip();
        assertEquals(List.of(), unexpected, tool + " reports (errors and warnings always fail; informational"
                + " findings fail unless " + ALLOW_LIST + " lists them with a reason)");
        assertEquals(List.of(), allowed.stale(), "allowed findings that " + tool + " no longer reports");
        assertEquals(0, r.exitCode() & ~8, "the exit code agrees: no error or warning. " + r.describe());
    }
}
