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

        Map<String, Object> runtime = CfnResolve.withParameters(sam, Map.of());
        Map<String, Object> noRedrive = map(runtime, "Resources", "MailboxQueue", "Properties");
        assertFalse(noRedrive.containsKey("RedrivePolicy"), "the default is Redrive=runtime: AWS::NoValue removes it");
        assertEquals(1209600, noRedrive.get("MessageRetentionPeriod"));
        assertFalse(map(runtime, "Resources", "TimerQueue", "Properties").containsKey("RedrivePolicy"));
        assertFalse(map(runtime, "Resources").containsKey("TimerDeadLetterQueue"),
                "a resource whose condition is false is left out");
        assertFalse(runtime.containsKey("Conditions"));
        assertEquals(Map.of("Ref", "MessageKeysSecret"), get(runtime, "Resources", "LedgerFunction", "Properties",
                "Environment", "Variables", "FA_MESSAGE_KEYS_SECRET_ARN"), "other intrinsics stay for CloudFormation");

        Map<String, Object> queue = CfnResolve.withParameters(sam, Map.of("Redrive", "queue"));
        Map<String, Object> mailbox = map(queue, "Resources", "MailboxQueue", "Properties");
        assertEquals(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")),
                get(mailbox, "RedrivePolicy", "deadLetterTargetArn"));
        assertEquals(Map.of("Ref", "MaxReceiveCount"), get(mailbox, "RedrivePolicy", "maxReceiveCount"),
                "a parameter outside a condition is left for CloudFormation");
        assertEquals(345600, mailbox.get("MessageRetentionPeriod"));
        assertEquals(Map.of("Fn::GetAtt", List.of("TimerDeadLetterQueue", "Arn")),
                get(queue, "Resources", "TimerQueue", "Properties", "RedrivePolicy", "deadLetterTargetArn"));
        assertTrue(map(queue, "Resources").containsKey("TimerDeadLetterQueue"));

        assertThrows(IllegalArgumentException.class, () -> CfnResolve.withParameters(sam, Map.of("Nope", "x")));
    }
}
