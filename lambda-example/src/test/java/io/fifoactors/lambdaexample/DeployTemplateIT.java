package io.fifoactors.lambdaexample;

import io.fifoactors.lambda.ActorWiring;
import io.fifoactors.lambda.LambdaSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.fifoactors.lambdaexample.CfnYaml.get;
import static io.fifoactors.lambdaexample.CfnYaml.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/deploy/template.yaml agrees with the code: the handler and the wiring it names are in the deployable jar and
 * are what the runtime needs, the environment variables are the ones the code reads (and their values pass the
 * handler's own validation), and the required properties of the queues, table, function, event source mapping and
 * role are present, with least-privilege IAM.
 */
class DeployTemplateIT {
    private static Path templatePath;
    private static Map<String, Object> template;
    private static Map<String, Object> resources;
    private static Map<String, Object> function;

    @BeforeAll
    static void load() {
        templatePath = Paths.get(System.getProperty("fifoactors.template", "../docs/deploy/template.yaml"));
        template = CfnYaml.load(templatePath);
        resources = map(template, "Resources");
        function = map(resources, "LedgerFunction", "Properties");
    }

    private static Map<String, Object> resource(String name, String type) {
        Map<String, Object> r = map(resources, name);
        assertEquals(type, r.get("Type"), name);
        return map(r, "Properties");
    }

    private static Map<String, Object> ref(String name) {
        return Map.of("Ref", name);
    }

    private static Map<String, Object> arnOf(String resource) {
        return Map.of("Fn::GetAtt", resource + ".Arn");
    }

    private static Object parameterDefault(String name) {
        return get(template, "Parameters", name, "Default");
    }

    private static int asInt(Object o) {
        return Integer.parseInt(o.toString());
    }

    @Test
    void theHandlerIsInTheDeployableJarAndIsASqsBatchHandler() throws Exception {
        String handler = (String) function.get("Handler");
        assertEquals(FunctionProcess.HANDLER, handler, "the handler the packaging tests run");
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);

        Path codeUri = templatePath.getParent().resolve((String) function.get("CodeUri")).normalize();
        assertEquals(FunctionProcess.functionJar().toRealPath(), codeUri.toRealPath(),
                "CodeUri is the jar the build makes");
        try (URLClassLoader jar = new URLClassLoader(new URL[] {codeUri.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> cls = Class.forName(className, false, jar);
            Class<?> requestHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false,
                    jar);
            assertTrue(requestHandler.isAssignableFrom(cls), className + " is a RequestHandler");
            assertTrue(Modifier.isPublic(cls.getConstructor().getModifiers()), "public no-argument constructor");
            Method m = cls.getMethod(methodName,
                    Class.forName("com.amazonaws.services.lambda.runtime.events.SQSEvent", false, jar),
                    Class.forName("com.amazonaws.services.lambda.runtime.Context", false, jar));
            assertEquals("com.amazonaws.services.lambda.runtime.events.SQSBatchResponse", m.getReturnType().getName());

            String wiring = (String) get(function, "Environment", "Variables", LambdaSettings.WIRING);
            Class<?> wiringClass = Class.forName(wiring, false, jar);
            assertTrue(Class.forName(ActorWiring.class.getName(), false, jar).isAssignableFrom(wiringClass),
                    wiring + " is an ActorWiring");
            assertTrue(Modifier.isPublic(wiringClass.getConstructor().getModifiers()));
            // the SQS event deserializer needs joda-time at run time
            Class.forName("org.joda.time.DateTime", false, jar);
            assertTrue(jar.findResource("com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class") == null,
                    "the runtime interface client stays out of the deployable jar");
        }
    }

    @Test
    void theEnvironmentIsWhatTheCodeReadsAndPassesItsValidation() {
        Map<String, Object> vars = map(function, "Environment", "Variables");
        Set<String> known = new HashSet<>(LambdaSettings.HANDLER_VARIABLES);
        known.addAll(LedgerWiring.VARIABLES);
        known.add("JAVA_TOOL_OPTIONS");
        for (String name : vars.keySet()) {
            assertTrue(known.contains(name), name + " is read by nothing");
        }
        assertFalse(vars.containsKey(LambdaSettings.AWS_REGION), "AWS_REGION is reserved: Lambda sets it");
        assertFalse(vars.containsKey(LedgerWiring.SQS_ENDPOINT), "endpoint overrides are for local runs only");
        assertFalse(vars.containsKey(LedgerWiring.DYNAMODB_ENDPOINT), "endpoint overrides are for local runs only");
        assertEquals(ref("MailboxQueue"), vars.get(LambdaSettings.QUEUE_URL));
        assertEquals(ref("DeadLetterQueue"), vars.get(LambdaSettings.DEAD_LETTER_QUEUE_URL));
        assertEquals(ref("ActorTable"), vars.get(LambdaSettings.TABLE_NAME));
        assertEquals(ref("MaxAttempts"), vars.get(LambdaSettings.MAX_ATTEMPTS));
        assertEquals(ref("MaxReceiveCount"), vars.get(LambdaSettings.REDRIVE_MAX_RECEIVE_COUNT));
        assertEquals(ref("Redrive"), vars.get(LambdaSettings.REDRIVE));
        assertEquals(List.of("queue", "runtime"), get(template, "Parameters", "Redrive", "AllowedValues"),
                "the values FA_REDRIVE accepts");
        assertEquals(ref("LogLevel"), vars.get(LambdaSettings.LOG_LEVEL));
        assertEquals(Arrays.stream(LambdaSettings.Level.values()).map(Enum::name).collect(Collectors.toList()),
                get(template, "Parameters", "LogLevel", "AllowedValues"));

        // the environment as deployed with the default parameters passes the handler's and the wiring's checks
        Map<String, String> env = new HashMap<>();
        vars.forEach((name, value) -> env.put(name, resolve(value)));
        env.put(LambdaSettings.AWS_REGION, "eu-west-1");
        LambdaSettings settings = LambdaSettings.from(env);
        settings.requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TABLE_NAME,
                LambdaSettings.AWS_REGION);
        assertEquals(LedgerWiring.class.getName(), settings.wiringClass().orElseThrow());
        assertEquals(3 * settings.maxAttempts(), settings.redriveMaxReceiveCount().orElseThrow(),
                "the queue's maxReceiveCount is 3 x maxAttempts by default");
        assertFalse(settings.runtimeRedrive(), "the queue redrives by default");
        env.put(LambdaSettings.REDRIVE, "runtime");
        assertTrue(LambdaSettings.from(env).runtimeRedrive(), "Redrive=runtime passes the handler's checks too");
    }

    /** A value as CloudFormation would resolve it with default parameters (resource refs become placeholders). */
    private static String resolve(Object value) {
        if (value instanceof Map<?, ?> m && m.containsKey("Ref")) {
            String name = (String) m.get("Ref");
            Object p = map(template, "Parameters").get(name);
            return p == null ? "https://resolved/" + name + ".fifo" : parameterDefault(name).toString();
        }
        return value.toString();
    }

    @Test
    void theFunctionIsJava21OnArm64WithSnapStart() {
        assertEquals("java21", function.get("Runtime"));
        assertEquals(List.of("arm64"), function.get("Architectures"));
        assertEquals("PublishedVersions", get(function, "SnapStart", "ApplyOn"));
        assertTrue(function.get("AutoPublishAlias") instanceof String, "SnapStart applies to published versions");
        assertTrue(asInt(function.get("MemorySize")) >= 512);
        assertEquals(arnOf("FunctionRole"), function.get("Role"), "its own least-privilege role");
        assertFalse(function.containsKey("Policies"), "no SAM policy templates (they grant more)");
    }

    @Test
    void theQueuesAreHighThroughputFifoWithRedriveAndALongEnoughVisibilityTimeout() {
        Map<String, Object> queue = resource("MailboxQueue", "AWS::SQS::Queue");
        Map<String, Object> dlq = resource("DeadLetterQueue", "AWS::SQS::Queue");
        for (Map<String, Object> q : List.of(queue, dlq)) {
            assertEquals(true, q.get("FifoQueue"));
            assertEquals(false, q.get("ContentBasedDeduplication"));
            assertEquals("messageGroup", q.get("DeduplicationScope"));
            assertEquals("perMessageGroupId", q.get("FifoThroughputLimit"));
            assertEquals(true, q.get("SqsManagedSseEnabled"));
            assertTrue(((Map<?, ?>) q.get("QueueName")).get("Fn::Sub").toString().endsWith(".fifo"));
        }
        int timeout = asInt(function.get("Timeout"));
        assertTrue(asInt(queue.get("VisibilityTimeout")) >= 6 * timeout,
                "visibility timeout " + queue.get("VisibilityTimeout") + " < 6 x function timeout " + timeout);
        // the redrive policy and the retention depend on the Redrive parameter, as FA_REDRIVE does
        assertEquals(Map.of("Fn::Equals", List.of(ref("Redrive"), "queue")),
                get(template, "Conditions", "QueueRedrives"));
        List<?> redrive = (List<?>) map(queue, "RedrivePolicy").get("Fn::If");
        assertEquals("QueueRedrives", redrive.get(0));
        assertEquals(arnOf("DeadLetterQueue"), get(redrive.get(1), "deadLetterTargetArn"));
        assertEquals(ref("MaxReceiveCount"), get(redrive.get(1), "maxReceiveCount"));
        assertEquals(ref("AWS::NoValue"), redrive.get(2), "runtime redrive: no policy at all");
        assertEquals(List.of("QueueRedrives", 345600, 1209600), map(queue, "MessageRetentionPeriod").get("Fn::If"),
                "without a redrive policy the longest retention");
        assertEquals(3 * asInt(parameterDefault("MaxAttempts")), asInt(parameterDefault("MaxReceiveCount")));
        assertEquals(1209600, asInt(dlq.get("MessageRetentionPeriod")));
        assertEquals("byQueue", get(dlq, "RedriveAllowPolicy", "redrivePermission"));
        assertEquals(List.of(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}.fifo")),
                get(dlq, "RedriveAllowPolicy", "sourceQueueArns"));
        assertEquals(Map.of("Fn::Sub", "${AWS::StackName}.fifo"), queue.get("QueueName"),
                "the name the dead-letter queue's redrive allow policy names");
    }

    @Test
    void theEventSourceMappingReportsBatchItemFailuresInBatchesOfTen() {
        Map<String, Object> events = map(function, "Events");
        assertEquals(1, events.size());
        Map<String, Object> mailbox = map(events, "Mailbox");
        assertEquals("SQS", mailbox.get("Type"));
        Map<String, Object> p = map(mailbox, "Properties");
        assertEquals(arnOf("MailboxQueue"), p.get("Queue"));
        assertEquals(10, asInt(p.get("BatchSize")));
        assertEquals(List.of("ReportBatchItemFailures"), p.get("FunctionResponseTypes"));
        assertEquals(ref("MaximumConcurrency"), get(p, "ScalingConfig", "MaximumConcurrency"));
        assertTrue(asInt(get(template, "Parameters", "MaximumConcurrency", "MinValue")) >= 2);
        assertFalse(p.containsKey("MaximumBatchingWindowInSeconds"), "FIFO sources do not support a window");
    }

    @Test
    void theTableIsOnDemandEncryptedAndRecoverableWithTheStoresKey() {
        Map<String, Object> table = resource("ActorTable", "AWS::DynamoDB::Table");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(true, get(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"));
        assertEquals(true, get(table, "SSESpecification", "SSEEnabled"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")), table.get("KeySchema"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "AttributeType", "S")), table.get("AttributeDefinitions"));
        assertEquals("Retain", map(resources, "ActorTable").get("DeletionPolicy"), "actor state outlives the stack");
    }

    @Test
    void theAuditTrailOutlivesTheStack() {
        // the actors' records, the messages given up on and the outcome log lines survive sam delete and replacement
        for (String name : List.of("ActorTable", "DeadLetterQueue", "FunctionLogGroup")) {
            Map<String, Object> r = map(resources, name);
            assertEquals("Retain", r.get("DeletionPolicy"), name + " DeletionPolicy");
            assertEquals("Retain", r.get("UpdateReplacePolicy"), name + " UpdateReplacePolicy");
        }
        // the mailbox only holds messages in transit: deleted on purpose, and said so
        assertEquals("Delete", map(resources, "MailboxQueue").get("DeletionPolicy"));
        assertEquals("Delete", map(resources, "MailboxQueue").get("UpdateReplacePolicy"));
    }

    @Test
    void theRoleGrantsOnlyTheActionsTheFunctionUsesOnItsOwnResources() {
        Map<String, Object> role = resource("FunctionRole", "AWS::IAM::Role");
        assertFalse(role.containsKey("ManagedPolicyArns"), "no managed policies");
        assertEquals("lambda.amazonaws.com",
                get(((List<?>) get(role, "AssumeRolePolicyDocument", "Statement")).get(0), "Principal", "Service"));
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Object policy : (List<?>) role.get("Policies")) {
            for (Object s : (List<?>) get(policy, "PolicyDocument", "Statement")) {
                Map<String, Object> statement = map(s);
                assertEquals("Allow", statement.get("Effect"));
                assertFalse(statement.containsKey("NotAction") || statement.containsKey("NotResource"));
                List<String> actions = asList(statement.get("Action"));
                for (Object resource : asObjects(statement.get("Resource"))) {
                    String target = describe(resource);
                    granted.computeIfAbsent(target, k -> new TreeSet<>()).addAll(actions);
                }
            }
        }
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("MailboxQueue", Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:SendMessage"));
        expected.put("DeadLetterQueue", Set.of("sqs:SendMessage"));
        expected.put("ActorTable", Set.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"));
        expected.put("FunctionLogGroup", Set.of("logs:CreateLogStream", "logs:PutLogEvents"));
        assertEquals(new TreeMap<>(expected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new TreeSet<>(e.getValue())))), granted);
    }

    private static String describe(Object resource) {
        if (resource instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof String s && s.endsWith(".Arn")) {
            return s.substring(0, s.length() - ".Arn".length());
        }
        throw new AssertionError("a resource that is not one of the stack's own: " + resource);
    }

    private static List<String> asList(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : asObjects(o)) {
            String action = x.toString();
            assertFalse(action.contains("*"), "wildcard action " + action);
            out.add(action);
        }
        return out;
    }

    private static List<?> asObjects(Object o) {
        return o instanceof List<?> l ? l : List.of(o);
    }

    @Test
    void theDeployGuideNamesTheSamCommands() throws IOException {
        String readme = Files.readString(templatePath.getParent().resolve("README.md"));
        assertTrue(readme.contains("## Deploy to AWS"));
        for (String command : List.of("sam validate", "sam deploy", "sam logs", "sam delete")) {
            assertTrue(readme.contains(command), "README.md lacks " + command);
        }
    }
}
