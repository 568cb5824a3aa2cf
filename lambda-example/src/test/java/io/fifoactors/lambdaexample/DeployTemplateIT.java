package io.fifoactors.lambdaexample;

import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.lambda.ActorWiring;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.lambda.TimerWiring;
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
import java.security.SecureRandom;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/deploy/template.yaml agrees with the code: the handlers and the wiring they name are in the deployable jar
 * and are what the runtime needs, the environment variables are the ones the code reads (and their values pass the
 * handlers' own validation), the message keys come from a generated secret and never from a plain-text variable, and
 * the required properties of the queues (the FIFO mailbox, its dead-letter queue and the standard timer queue), the
 * table (with the operator's attention index), both functions, both event source mappings and both roles are
 * present, with least-privilege IAM.
 */
class DeployTemplateIT {
    private static Path templatePath;
    private static String templateText;
    private static Map<String, Object> template;
    private static Map<String, Object> resources;
    private static Map<String, Object> function;
    private static Map<String, Object> timerFunction;

    @BeforeAll
    static void load() throws IOException {
        templatePath = Paths.get(System.getProperty("fifoactors.template", "../docs/deploy/template.yaml"));
        templateText = Files.readString(templatePath);
        template = CfnYaml.load(templatePath);
        resources = map(template, "Resources");
        function = map(resources, "LedgerFunction", "Properties");
        timerFunction = map(resources, "TimerFunction", "Properties");
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
    void bothHandlersAndTheirWiringAreInTheDeployableJar() throws Exception {
        assertEquals(FunctionProcess.HANDLER, function.get("Handler"), "the handler the packaging tests run");
        assertEquals(FunctionProcess.TIMER_HANDLER, timerFunction.get("Handler"), "the timer handler the tests run");
        assertEquals(function.get("CodeUri"), timerFunction.get("CodeUri"), "one jar for both functions");
        Path codeUri = templatePath.getParent().resolve((String) function.get("CodeUri")).normalize();
        assertEquals(FunctionProcess.functionJar().toRealPath(), codeUri.toRealPath(),
                "CodeUri is the jar the build makes");
        try (URLClassLoader jar = new URLClassLoader(new URL[] {codeUri.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            checkHandler(jar, function, ActorWiring.class);
            checkHandler(jar, timerFunction, TimerWiring.class);
            // the SQS event deserializer needs joda-time at run time
            Class.forName("org.joda.time.DateTime", false, jar);
            assertTrue(jar.findResource("com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class") == null,
                    "the runtime interface client stays out of the deployable jar");
        }
    }

    private static void checkHandler(URLClassLoader jar, Map<String, Object> fn, Class<?> wiringKind)
            throws Exception {
        String handler = (String) fn.get("Handler");
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);
        Class<?> cls = Class.forName(className, false, jar);
        Class<?> requestHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, jar);
        assertTrue(requestHandler.isAssignableFrom(cls), className + " is a RequestHandler");
        assertTrue(Modifier.isPublic(cls.getConstructor().getModifiers()), "public no-argument constructor");
        Method m = cls.getMethod(methodName,
                Class.forName("com.amazonaws.services.lambda.runtime.events.SQSEvent", false, jar),
                Class.forName("com.amazonaws.services.lambda.runtime.Context", false, jar));
        assertEquals("com.amazonaws.services.lambda.runtime.events.SQSBatchResponse", m.getReturnType().getName());

        String wiring = (String) get(fn, "Environment", "Variables", LambdaSettings.WIRING);
        Class<?> wiringClass = Class.forName(wiring, false, jar);
        assertTrue(Class.forName(wiringKind.getName(), false, jar).isAssignableFrom(wiringClass),
                wiring + " is a " + wiringKind.getSimpleName());
        assertTrue(Modifier.isPublic(wiringClass.getConstructor().getModifiers()));
    }

    @Test
    void theEnvironmentIsWhatTheCodeReadsAndPassesItsValidation() {
        Set<String> known = new HashSet<>(LambdaSettings.HANDLER_VARIABLES);
        known.addAll(ExampleWiring.VARIABLES);
        known.add("JAVA_TOOL_OPTIONS");
        for (Map<String, Object> fn : List.of(function, timerFunction)) {
            Map<String, Object> vars = map(fn, "Environment", "Variables");
            for (String name : vars.keySet()) {
                assertTrue(known.contains(name), name + " is read by nothing");
            }
            assertFalse(vars.containsKey(LambdaSettings.AWS_REGION), "AWS_REGION is reserved: Lambda sets it");
            for (String local : List.of(ExampleWiring.SQS_ENDPOINT, ExampleWiring.DYNAMODB_ENDPOINT,
                    ExampleWiring.SECRETS_MANAGER_ENDPOINT, ExampleWiring.TIMER_MAX_HOP_SECONDS)) {
                assertFalse(vars.containsKey(local), local + " is for local runs and tests only");
            }
            assertFalse(vars.containsKey(LambdaSettings.MESSAGE_KEYS), "no keys in plain text in the configuration");
            assertEquals(ref("MailboxQueue"), vars.get(LambdaSettings.QUEUE_URL));
            assertEquals(ref("TimerQueue"), vars.get(LambdaSettings.TIMER_QUEUE_URL));
            assertEquals(ref("LogLevel"), vars.get(LambdaSettings.LOG_LEVEL));
            assertEquals(ExampleWiring.class.getName(), vars.get(LambdaSettings.WIRING));
        }
        assertFalse(templateText.contains("FA_REDRIVE"), "the redrive policy is read from the queue");
        Map<String, Object> vars = map(function, "Environment", "Variables");
        assertEquals(ref("DeadLetterQueue"), vars.get(LambdaSettings.DEAD_LETTER_QUEUE_URL));
        assertEquals(ref("ActorTable"), vars.get(LambdaSettings.TABLE_NAME));
        assertEquals(ref("MessageKeysSecret"), vars.get(LambdaSettings.MESSAGE_KEYS_SECRET_ARN));
        assertEquals(ref("MaxAttempts"), vars.get(LambdaSettings.MAX_ATTEMPTS));
        assertEquals(Arrays.stream(LambdaSettings.Level.values()).map(Enum::name).collect(Collectors.toList()),
                get(template, "Parameters", "LogLevel", "AllowedValues"));
        Map<String, Object> timerVars = map(timerFunction, "Environment", "Variables");
        for (String notNeeded : List.of(LambdaSettings.TABLE_NAME, LambdaSettings.DEAD_LETTER_QUEUE_URL,
                LambdaSettings.MESSAGE_KEYS_SECRET_ARN)) {
            assertFalse(timerVars.containsKey(notNeeded), "the timer function needs no " + notNeeded);
        }

        // the environments as deployed with the default parameters pass the handlers' and the wiring's checks
        LambdaSettings settings = LambdaSettings.from(resolved(vars));
        settings.requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL,
                LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.TABLE_NAME, LambdaSettings.AWS_REGION,
                LambdaSettings.MESSAGE_KEYS_SECRET_ARN);
        assertTrue(settings.messageKeys().isEmpty(), "the wiring reads the keys from the secret");
        assertEquals(ExampleWiring.class.getName(), settings.wiringClass().orElseThrow());
        LambdaSettings.from(resolved(timerVars)).requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.TIMER_QUEUE_URL,
                LambdaSettings.AWS_REGION);
    }

    private static Map<String, String> resolved(Map<String, Object> vars) {
        Map<String, String> env = new HashMap<>();
        vars.forEach((name, value) -> env.put(name, resolve(value)));
        env.put(LambdaSettings.AWS_REGION, "eu-west-1");
        return env;
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
    void theMessageKeysAreAGeneratedSecretInTheFormMessageKeysReads() {
        Map<String, Object> secret = resource("MessageKeysSecret", "AWS::SecretsManager::Secret");
        assertEquals(44, asInt(get(secret, "GenerateSecretString", "PasswordLength")));
        assertEquals(true, get(secret, "GenerateSecretString", "ExcludePunctuation"));
        assertNull(secret.get("SecretString"), "generated, never written in the template");
        // what GenerateSecretString makes: 44 of A-Z a-z 0-9 (RequireEachIncludedType holds for these too)
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 100; i++) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < 44; c++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            MessageKeys keys = MessageKeys.parse(s.toString());
            assertTrue(keys.currentKeyId().matches("h[0-9a-f]{8}"), keys.toString());
        }
    }

    @Test
    void bothFunctionsAreJava21OnArm64WithSnapStartAndTheirOwnRoles() {
        for (Map<String, Object> fn : List.of(function, timerFunction)) {
            assertEquals("java21", fn.get("Runtime"));
            assertEquals(List.of("arm64"), fn.get("Architectures"));
            assertEquals("PublishedVersions", get(fn, "SnapStart", "ApplyOn"));
            assertTrue(fn.get("AutoPublishAlias") instanceof String, "SnapStart applies to published versions");
            assertTrue(asInt(fn.get("MemorySize")) >= 512);
            assertFalse(fn.containsKey("Policies"), "no SAM policy templates (they grant more)");
        }
        assertEquals(arnOf("FunctionRole"), function.get("Role"), "its own least-privilege role");
        assertEquals(arnOf("TimerFunctionRole"), timerFunction.get("Role"), "its own least-privilege role");
        assertEquals(ref("FunctionLogGroup"), get(function, "LoggingConfig", "LogGroup"));
        assertEquals(ref("TimerFunctionLogGroup"), get(timerFunction, "LoggingConfig", "LogGroup"));
    }

    @Test
    void theMailboxQueuesAreHighThroughputFifoWithoutRedriveByDefault() {
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
        // the runtime dead-letters by default; Redrive=queue gives the queues redrive policies (CT.SQS.PR.1)
        assertEquals("runtime", parameterDefault("Redrive"));
        assertEquals(Set.of("queue", "runtime"),
                new HashSet<>((List<?>) get(template, "Parameters", "Redrive", "AllowedValues")));
        assertEquals(Map.of("Fn::Equals", List.of(ref("Redrive"), "queue")),
                get(template, "Conditions", "QueueRedrives"));
        List<?> redrive = (List<?>) map(queue, "RedrivePolicy").get("Fn::If");
        assertEquals("QueueRedrives", redrive.get(0));
        assertEquals(arnOf("DeadLetterQueue"), get(redrive.get(1), "deadLetterTargetArn"));
        assertEquals(ref("MaxReceiveCount"), get(redrive.get(1), "maxReceiveCount"));
        assertEquals(ref("AWS::NoValue"), redrive.get(2), "runtime redrive: no policy at all");
        assertEquals(List.of("QueueRedrives", 345600, 1209600), map(queue, "MessageRetentionPeriod").get("Fn::If"),
                "without a redrive policy the longest retention");
        // the runtime refuses a maxReceiveCount that leaves no room for crashCheckAfter (3) + maxAttempts
        int crashCheckAfter = 3;
        assertTrue(asInt(get(template, "Parameters", "MaxReceiveCount", "MinValue"))
                > crashCheckAfter + asInt(parameterDefault("MaxAttempts")), "MinValue > 3 + default MaxAttempts");
        assertTrue(asInt(parameterDefault("MaxReceiveCount")) > crashCheckAfter + asInt(parameterDefault("MaxAttempts")));
        assertEquals(100, asInt(get(template, "Parameters", "MaxAttempts", "MaxValue")), "FA_MAX_ATTEMPTS' range");
        assertEquals(1209600, asInt(dlq.get("MessageRetentionPeriod")));
        assertEquals("byQueue", get(dlq, "RedriveAllowPolicy", "redrivePermission"));
        assertEquals(List.of(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}.fifo")),
                get(dlq, "RedriveAllowPolicy", "sourceQueueArns"));
        assertEquals(Map.of("Fn::Sub", "${AWS::StackName}.fifo"), queue.get("QueueName"),
                "the name the dead-letter queue's redrive allow policy names");
    }

    @Test
    void theTimerQueueIsAStandardQueueThatKeepsCarriersThroughAnOutage() {
        Map<String, Object> timers = resource("TimerQueue", "AWS::SQS::Queue");
        assertFalse(timers.containsKey("FifoQueue"), "standard: FIFO queues have no per-message delay");
        assertFalse(((Map<?, ?>) timers.get("QueueName")).get("Fn::Sub").toString().endsWith(".fifo"));
        assertEquals(true, timers.get("SqsManagedSseEnabled"));
        assertEquals(1209600, asInt(timers.get("MessageRetentionPeriod")), "each hop is a new message: 14 days"
                + " is how long a carrier survives an outage of the timer function");
        assertTrue(asInt(timers.get("VisibilityTimeout")) >= 6 * asInt(timerFunction.get("Timeout")));
        List<?> redrive = (List<?>) map(timers, "RedrivePolicy").get("Fn::If");
        assertEquals("QueueRedrives", redrive.get(0));
        assertEquals(arnOf("TimerDeadLetterQueue"), get(redrive.get(1), "deadLetterTargetArn"));
        assertEquals(1000, asInt(get(redrive.get(1), "maxReceiveCount")), "only after a long outage");
        assertEquals(ref("AWS::NoValue"), redrive.get(2));
        Map<String, Object> timerDlq = map(resources, "TimerDeadLetterQueue");
        assertEquals("QueueRedrives", timerDlq.get("Condition"), "only where the queues redrive");
        Map<String, Object> p = resource("TimerDeadLetterQueue", "AWS::SQS::Queue");
        assertFalse(p.containsKey("FifoQueue"), "a standard queue's dead-letter queue is standard");
        assertEquals(true, p.get("SqsManagedSseEnabled"));
        assertEquals(List.of(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-timers")),
                get(p, "RedriveAllowPolicy", "sourceQueueArns"));
        assertEquals(Map.of("Fn::Sub", "${AWS::StackName}-timers"), timers.get("QueueName"));
    }

    @Test
    void bothEventSourceMappingsReportBatchItemFailuresInBatchesOfTen() {
        checkMapping(function, "Mailbox", "MailboxQueue");
        checkMapping(timerFunction, "Timers", "TimerQueue");
        assertTrue(asInt(get(template, "Parameters", "MaximumConcurrency", "MinValue")) >= 2);
    }

    private static void checkMapping(Map<String, Object> fn, String name, String queue) {
        Map<String, Object> events = map(fn, "Events");
        assertEquals(Set.of(name), events.keySet());
        Map<String, Object> mapping = map(events, name);
        assertEquals("SQS", mapping.get("Type"));
        Map<String, Object> p = map(mapping, "Properties");
        assertEquals(arnOf(queue), p.get("Queue"));
        assertEquals(10, asInt(p.get("BatchSize")));
        assertEquals(List.of("ReportBatchItemFailures"), p.get("FunctionResponseTypes"));
        assertEquals(ref("MaximumConcurrency"), get(p, "ScalingConfig", "MaximumConcurrency"));
        assertFalse(p.containsKey("MaximumBatchingWindowInSeconds"),
                "no batching window: FIFO sources do not support one, and a due timer should not wait");
    }

    @Test
    void theTableIsOnDemandEncryptedRecoverableWithTheStoresKeyAndTheAttentionIndex() {
        Map<String, Object> table = resource("ActorTable", "AWS::DynamoDB::Table");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(true, get(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"));
        assertEquals(true, get(table, "SSESpecification", "SSEEnabled"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")), table.get("KeySchema"));
        assertEquals(Set.of(Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "attn", "AttributeType", "S")),
                new HashSet<>((List<?>) table.get("AttributeDefinitions")));
        assertEquals(List.of(Map.of("IndexName", "attention",
                        "KeySchema", List.of(Map.of("AttributeName", "attn", "KeyType", "HASH"),
                                Map.of("AttributeName", "pk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))),
                table.get("GlobalSecondaryIndexes"));
    }

    @Test
    void theAuditTrailAndTheKeysOutliveTheStack() {
        // the actors' records, the messages given up on, the outcome log lines and the keys their tags need survive
        // sam delete and replacement
        for (String name : List.of("ActorTable", "DeadLetterQueue", "TimerDeadLetterQueue", "FunctionLogGroup",
                "TimerFunctionLogGroup", "MessageKeysSecret")) {
            Map<String, Object> r = map(resources, name);
            assertEquals("Retain", r.get("DeletionPolicy"), name + " DeletionPolicy");
            assertEquals("Retain", r.get("UpdateReplacePolicy"), name + " UpdateReplacePolicy");
        }
        // the mailbox and the timer queue only hold messages in transit: deleted on purpose, and said so
        for (String name : List.of("MailboxQueue", "TimerQueue")) {
            assertEquals("Delete", map(resources, name).get("DeletionPolicy"));
            assertEquals("Delete", map(resources, name).get("UpdateReplacePolicy"));
        }
    }

    @Test
    void eachRoleGrantsOnlyTheActionsItsFunctionUsesOnTheStacksOwnResources() {
        Map<String, Set<String>> actors = new LinkedHashMap<>();
        actors.put("MailboxQueue", Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:SendMessage", "sqs:ChangeMessageVisibility"));
        actors.put("DeadLetterQueue", Set.of("sqs:SendMessage", "sqs:GetQueueAttributes"));
        actors.put("TimerQueue", Set.of("sqs:SendMessage"));
        actors.put("ActorTable", Set.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"));
        actors.put("MessageKeysSecret", Set.of("secretsmanager:GetSecretValue"));
        actors.put("FunctionLogGroup", Set.of("logs:CreateLogStream", "logs:PutLogEvents"));
        assertEquals(sorted(actors), granted("FunctionRole"));

        Map<String, Set<String>> timers = new LinkedHashMap<>();
        timers.put("TimerQueue", Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:SendMessage"));
        timers.put("MailboxQueue", Set.of("sqs:SendMessage"));
        timers.put("TimerFunctionLogGroup", Set.of("logs:CreateLogStream", "logs:PutLogEvents"));
        assertEquals(sorted(timers), granted("TimerFunctionRole"));
    }

    private static Map<String, Set<String>> sorted(Map<String, Set<String>> m) {
        return new TreeMap<>(m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new TreeSet<>(e.getValue()))));
    }

    private static Map<String, Set<String>> granted(String roleName) {
        Map<String, Object> role = resource(roleName, "AWS::IAM::Role");
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
        return granted;
    }

    private static String describe(Object resource) {
        if (resource instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof String s && s.endsWith(".Arn")) {
            return s.substring(0, s.length() - ".Arn".length());
        }
        // Ref of a secret is its ARN
        if (resource instanceof Map<?, ?> m && m.get("Ref") instanceof String s
                && "AWS::SecretsManager::Secret".equals(map(resources, s).get("Type"))) {
            return s;
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
    void theDeployGuideNamesTheSamCommandsAndTheRedriveChoice() throws IOException {
        String readme = Files.readString(templatePath.getParent().resolve("README.md"));
        assertTrue(readme.contains("## Deploy to AWS"));
        for (String text : List.of("sam validate", "sam deploy", "sam logs", "sam delete", "CT.SQS.PR.1",
                "Redrive=queue", "SqsTimerHandler", "FA_MESSAGE_KEYS_SECRET_ARN", "attention")) {
            assertTrue(readme.contains(text), "README.md lacks " + text);
        }
        assertFalse(readme.contains("FA_REDRIVE"), "README.md names a variable that is gone");
    }
}
