package io.fifoactors.lambdaexample;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static io.fifoactors.lambdaexample.CfnYaml.get;
import static io.fifoactors.lambdaexample.CfnYaml.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allow-lists and the condition resolver behind TemplateLintIT and TemplateGuardIT. */
class TemplateCheckSupportTest {
    private static final Path FILE = Paths.get("allowed.txt");

    @Test
    void anAllowListEntryNeedsItsKeysAndAReasonAndMatchesWithWildcards() {
        AllowList list = AllowList.parse(FILE, List.of(
                "# comment", "",
                "CT.SQS.PR.1  Redrive=runtime  MailboxQueue   by design: the function redrives",
                "CT.X.PR.1    *                Log            the account's choice"), 3);
        assertEquals("by design: the function redrives", list.entries().get(0).reason());
        assertEquals(3, list.entries().get(0).line());
        assertTrue(list.allows(List.of("CT.SQS.PR.1", "Redrive=runtime", "MailboxQueue")));
        assertFalse(list.allows(List.of("CT.SQS.PR.1", "Redrive=queue", "MailboxQueue")), "only where listed");
        assertFalse(list.allows(List.of("CT.SQS.PR.1", "Redrive=runtime", "DeadLetterQueue")));
        assertEquals(List.of("allowed.txt:4: [CT.X.PR.1, *, Log]"), list.stale(), "nothing matched it yet");
        assertTrue(list.allows(List.of("CT.X.PR.1", "Redrive=queue", "Log")), "* matches any deployment");
        assertEquals(List.of(), list.stale());

        AssertionError noReason = assertThrows(AssertionError.class,
                () -> AllowList.parse(FILE, List.of("I3011  Resources/MailboxQueue"), 2));
        assertTrue(noReason.getMessage().contains("allowed.txt:1: an entry needs 2 keys and a written reason"),
                noReason.getMessage());
    }

    @Test
    void theResolverTakesTheBranchesOfTheParametersAndDropsNoValue() {
        Path template = Paths.get(System.getProperty("fifoactors.template", "../docs/deploy/template.yaml"));
        Map<String, Object> sam = CfnYaml.load(template);

        Map<String, Object> queue = CfnResolve.withParameters(sam, Map.of());
        Map<String, Object> mailbox = map(queue, "Resources", "MailboxQueue", "Properties");
        assertEquals(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")),
                get(mailbox, "RedrivePolicy", "deadLetterTargetArn"), "the default is Redrive=queue");
        assertEquals(345600, mailbox.get("MessageRetentionPeriod"));
        assertFalse(queue.containsKey("Conditions"));

        Map<String, Object> runtime = CfnResolve.withParameters(sam, Map.of("Redrive", "runtime"));
        Map<String, Object> noRedrive = map(runtime, "Resources", "MailboxQueue", "Properties");
        assertFalse(noRedrive.containsKey("RedrivePolicy"), "AWS::NoValue removes the property");
        assertEquals(1209600, noRedrive.get("MessageRetentionPeriod"));
        assertEquals(Map.of("Ref", "Redrive"), get(runtime, "Resources", "LedgerFunction", "Properties",
                "Environment", "Variables", "FA_REDRIVE"), "other intrinsics stay for CloudFormation");

        assertThrows(IllegalArgumentException.class, () -> CfnResolve.withParameters(sam, Map.of("Nope", "x")));
    }
}
