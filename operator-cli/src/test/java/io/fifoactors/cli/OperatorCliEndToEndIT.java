package io.fifoactors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.ConsumerLoop;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator command line against real local servers (ElasticMQ embedded, dynalite as a child process) and a real
 * runtime (an ActorSystem over SqsMailbox and DynamoDbStateStore, driven step by step by a ConsumerLoop): a poison
 * message parks an actor, {@code attention} lists it, {@code inspect} shows why, {@code unpark --retry} after the fix
 * (or {@code --skip}) lets it go on; dead letters are listed with their reasons, moved back after the fix and applied
 * exactly once, and purged. The built jar runs once as a child {@code java -jar}. The table-format outputs are
 * written to a transcript (target/operator-transcript.txt) that docs/operator.md quotes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCliEndToEndIT {
    record Account(long balance, int audits) {
    }

    sealed interface AccountMsg {
    }

    record Deposit(long amount) implements AccountMsg {
    }

    record Audit(String note) implements AccountMsg {
    }

    record Meter(long ticks) {
    }

    record Tick(int n) {
    }

    /** The "bug": while set, Audit and Tick handlers throw. Fixed by clearing it. */
    static final AtomicBoolean BROKEN = new AtomicBoolean(true);

    static final ActorType<Account, AccountMsg> ACCOUNT = ActorType.builder("account", Account.class, AccountMsg.class)
            .initialState(id -> new Account(0, 0))
            .poisonPolicy(PoisonPolicy.PARK)
            .on(Deposit.class, (s, d, ctx) -> Effect.persist(new Account(s.balance() + d.amount(), s.audits())))
            .on(Audit.class, (s, a, ctx) -> {
                if (BROKEN.get()) {
                    throw new IllegalStateException("audit service refused the note");
                }
                return Effect.persist(new Account(s.balance(), s.audits() + 1));
            })
            .build();

    static final ActorType<Meter, Tick> METER = ActorType.builder("meter", Meter.class, Tick.class)
            .initialState(id -> new Meter(0))
            .poisonPolicy(PoisonPolicy.DEAD_LETTER)
            .on(Tick.class, (s, t, ctx) -> {
                if (BROKEN.get()) {
                    throw new IllegalStateException("meter register locked");
                }
                return Effect.persist(new Meter(s.ticks() + t.n()));
            })
            .build();

    private static ElasticMqServer sqsServer;
    private static DynaliteServer dynamoServer;
    private static SqsClient sqs;
    private static DynamoDbClient dynamo;
    private static SqsQueues queues;
    private static DynamoDbStateStore store;
    private static ActorSystem system;
    private static ConsumerLoop loop;
    private static Cli cli;
    private static List<String> common;
    private static Map<String, String> env;
    private static final StringBuilder TRANSCRIPT = new StringBuilder();

    @BeforeAll
    static void start() {
        sqsServer = ElasticMqServer.start();
        dynamoServer = DynaliteServer.start();
        sqs = sqsServer.newClient();
        dynamo = dynamoServer.newClient();
        queues = SqsQueueProvisioner.builder().client(sqs).build().provision("accounts");
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensure("actors");
        store = DynamoDbStateStore.builder().client(dynamo).tableName("actors").build();

        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String keys = "k1:" + Base64.getEncoder().encodeToString(secret);
        system = ActorSystem.builder()
                .register(ACCOUNT)
                .register(METER)
                .stateStore(store)
                .mailbox(SqsMailbox.builder().client(sqs).queues(queues).build())
                .scheduler(messages -> { })
                .messageKeys(MessageKeys.parse(keys))
                .maxAttempts(2)
                .inlineGroups()
                .build();
        loop = ConsumerLoop.builder().system(system).pause(d -> true).retryDelay(Duration.ZERO)
                .waitTime(Duration.ofSeconds(1)).visibilityTimeout(Duration.ofSeconds(30)).build();

        common = List.of("--region", "us-east-1",
                "--sqs-endpoint-url", sqsServer.endpoint().toString(),
                "--dynamodb-endpoint-url", dynamoServer.endpoint().toString(),
                "--table", "actors", "--queue-url", queues.queueUrl(),
                "--dead-letter-queue-url", queues.deadLetterQueueUrl());
        env = Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local", "FA_MESSAGE_KEYS", keys);
        cli = new Cli(common, env);
    }

    @AfterAll
    static void stop() throws IOException {
        String path = System.getProperty("fifoactors.transcript");
        if (path != null && !TRANSCRIPT.isEmpty()) {
            Files.writeString(Paths.get(path), TRANSCRIPT.toString(), StandardCharsets.UTF_8);
        }
        if (sqs != null) {
            sqs.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (sqsServer != null) {
            sqsServer.close();
        }
        if (dynamoServer != null) {
            dynamoServer.close();
        }
    }

    /** Runs the command line in-process; a table-format run goes into the transcript. */
    private static Cli.Run fa(String... args) {
        Cli.Run r = cli.run(args);
        if (!List.of(args).contains("json")) {
            TRANSCRIPT.append("$ fa ").append(String.join(" ", args)).append('\n').append(r.out()).append(r.err());
            if (r.code() != 0) {
                TRANSCRIPT.append("(exit ").append(r.code()).append(")\n");
            }
            TRANSCRIPT.append('\n');
        }
        return r;
    }

    private static Cli.Run ok(String... args) {
        Cli.Run r = fa(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    /** Steps the consumer loop until {@code done}, bounded in steps and time. */
    private static void driveUntil(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < 400 && !done.getAsBoolean(); i++) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            loop.step();
        }
        assertTrue(done.getAsBoolean(), "not reached: " + what);
    }

    /** Steps until a receive brings nothing (the queue is drained for now). */
    private static void driveUntilIdle() {
        for (int i = 0; i < 100; i++) {
            if (loop.step() == ConsumerLoop.Step.EMPTY) {
                return;
            }
        }
        throw new AssertionError("the queue never went idle");
    }

    private static ActorSnapshot<byte[]> snapshot(String actor) {
        ActorId id = ActorId.fromGroupId(actor);
        Optional<StoredRecord> r = store.load(id);
        return ActorSnapshot.ofRecord(id, r);
    }

    private static JsonNode state(String actor) throws IOException {
        return new ObjectMapper().readTree(snapshot(actor).state());
    }

    @Test
    @Order(1)
    void aPoisonMessageParksAnActorAndTheOperatorFindsSeesWhyAndRetriesIt() throws IOException {
        BROKEN.set(true);
        system.tell(ACCOUNT.ref("a-1"), new Deposit(100), "d-1");
        system.tell(ACCOUNT.ref("a-1"), new Audit("q3"), "audit-1");
        system.tell(ACCOUNT.ref("a-1"), new Deposit(5), "d-2");
        driveUntil("account/a-1 is parked with one message held",
                () -> snapshot("account/a-1").parked().isPresent() && snapshot("account/a-1").held() == 1);

        Cli.Run attention = ok("attention");
        assertTrue(attention.out().contains("account/a-1") && attention.out().contains("parked")
                && attention.out().contains("audit service refused the note"), attention.out());
        JsonNode listed = cli.run("--output", "json", "attention").json();
        assertEquals("account/a-1", listed.get("actors").get(0).get("actor").asText());
        assertTrue(listed.get("actors").get(0).get("attention").toString().contains("parked"), listed.toString());
        assertTrue(listed.get("nextToken").isNull());

        Cli.Run inspect = ok("inspect", "account/a-1");
        assertTrue(inspect.out().contains("on message audit-1 (Audit)") && inspect.out().contains("1 later message"
                + " held") && inspect.out().contains("{\"balance\":100,\"audits\":0}"), inspect.out());
        JsonNode doc = cli.run("--output", "json", "inspect", "account/a-1").json();
        assertEquals("Audit", doc.get("parked").get("type").asText());
        assertTrue(doc.get("parked").get("reason").asText().contains("audit service refused the note"), doc.toString());
        assertEquals(100, doc.get("state").get("balance").asLong());
        assertEquals("json", doc.get("stateEncoding").asText());
        assertEquals(1, doc.get("held").asInt());
        assertEquals(doc.get("recordBytes").asLong(), snapshot("account/a-1").recordBytes());

        BROKEN.set(false); // the fix is deployed
        ok("unpark", "account/a-1", "--retry", "--request-id", "fix-audit-1");
        driveUntil("account/a-1 applied the audit and the held deposit",
                () -> snapshot("account/a-1").parked().isEmpty() && snapshot("account/a-1").held() == 0);
        assertEquals(105, state("account/a-1").get("balance").asLong());
        assertEquals(1, state("account/a-1").get("audits").asInt());
        Cli.Run none = ok("attention");
        assertTrue(none.out().contains("No actor needs attention"), none.out());

        // the same request again within the deduplication window is one request: nothing changes
        ok("unpark", "account/a-1", "--retry", "--request-id", "fix-audit-1");
        driveUntilIdle();
        assertEquals(1, state("account/a-1").get("audits").asInt());
    }

    @Test
    @Order(2)
    void skippingAParkedMessageDeadLettersItWithTheReason() throws IOException {
        BROKEN.set(true);
        system.tell(ACCOUNT.ref("a-2"), new Audit("bad"), "audit-2");
        system.tell(ACCOUNT.ref("a-2"), new Deposit(7), "d-3");
        driveUntil("account/a-2 is parked", () -> snapshot("account/a-2").parked().isPresent()
                && snapshot("account/a-2").held() == 1);
        ok("unpark", "account/a-2", "--skip");
        driveUntil("account/a-2 went on", () -> snapshot("account/a-2").parked().isEmpty()
                && snapshot("account/a-2").held() == 0);
        assertEquals(7, state("account/a-2").get("balance").asLong());
        assertEquals(0, state("account/a-2").get("audits").asInt());
        JsonNode letters = cli.run("--output", "json", "dead-letters", "list", "--actor", "account/a-2").json();
        assertEquals(1, letters.get("count").asInt(), letters.toString());
        JsonNode l = letters.get("letters").get(0);
        assertEquals("audit-2", l.get("messageId").asText());
        assertEquals("Audit", l.get("type").asText());
        assertTrue(l.get("reason").asText().startsWith("skipped by operator"), l.toString());
        assertFalse(l.toString().contains("bad"), "no body in a listing: " + l);
        BROKEN.set(false);
    }

    @Test
    @Order(3)
    void deadLettersAreListedWithTheirReasonsMovedBackAfterTheFixAppliedOnceAndPurged() throws IOException {
        BROKEN.set(true);
        system.tell(METER.ref("m-1"), new Tick(3), "tick-1");
        system.tell(METER.ref("m-1"), new Tick(4), "tick-2");
        // a message of a type the actor does not know: dead-lettered at once with the reason
        sqs.sendMessage(b -> b.queueUrl(queues.queueUrl()).messageGroupId("meter/m-9").messageDeduplicationId("x-1")
                .messageBody("{}").messageAttributes(Map.of("fa-type", MessageAttributeValue.builder()
                        .dataType("String").stringValue("Bogus").build())));
        driveUntil("both ticks and the bogus message are dead-lettered", () -> snapshot("meter/m-1").deadLettered()
                == 2 && snapshot("meter/m-9").deadLettered() == 1);

        Cli.Run list = ok("dead-letters", "list");
        assertTrue(list.out().contains("handler failed 2 times") && list.out().contains("meter register locked")
                && list.out().contains("unknown message type 'Bogus'"), list.out());
        JsonNode all = cli.run("--output", "json", "dead-letters", "list").json();
        assertEquals(4, all.get("count").asInt(), "a-2's skipped audit, two ticks, the bogus one: " + all);
        JsonNode filtered = cli.run("--output", "json", "dead-letters", "list", "--reason-contains", "UNKNOWN MESSAGE")
                .json();
        assertEquals(1, filtered.get("count").asInt(), filtered.toString());
        assertEquals("meter/m-9", filtered.get("letters").get(0).get("actor").asText());
        assertTrue(filtered.get("letters").get(0).get("deadLetterQueueReceives").asInt() >= 1, filtered.toString());

        Cli.Run mine = ok("dead-letters", "list", "--actor", "meter/m-1");
        assertTrue(mine.out().contains("tick-1") && mine.out().contains("tick-2") && !mine.out().contains("m-9"),
                mine.out());
        Cli.Run dry = ok("dead-letters", "move-back", "--actor", "meter/m-1", "--dry-run");
        assertTrue(dry.out().startsWith("Would move 2 dead letters"), dry.out());
        assertEquals(4, cli.run("--output", "json", "dead-letters", "list").json().get("count").asInt(),
                "a dry run moves nothing");

        BROKEN.set(false); // the fix is deployed
        Cli.Run moved = ok("dead-letters", "move-back", "--actor", "meter/m-1");
        assertTrue(moved.out().startsWith("Moved 2 dead letters back"), moved.out());
        driveUntil("the meter applied both ticks", () -> {
            try {
                return state("meter/m-1").get("ticks").asLong() == 7;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        driveUntilIdle();
        assertEquals(7, state("meter/m-1").get("ticks").asLong(), "each moved letter applied exactly once");
        JsonNode again = cli.run("--output", "json", "dead-letters", "move-back", "--actor", "meter/m-1").json();
        assertEquals(0, again.get("moved").asInt(), again.toString());
        driveUntilIdle();
        assertEquals(7, state("meter/m-1").get("ticks").asLong());

        Cli.Run refused = fa("dead-letters", "purge", "--actor", "meter/m-9");
        assertEquals(2, refused.code(), refused.toString());
        Cli.Run purged = ok("dead-letters", "purge", "--actor", "meter/m-9", "--yes");
        assertTrue(purged.out().startsWith("Deleted 1 dead letter "), purged.out());
        JsonNode left = cli.run("--output", "json", "dead-letters", "list").json();
        assertEquals(1, left.get("count").asInt(), "only a-2's skipped audit is left: " + left);
        assertEquals("account/a-2", left.get("letters").get(0).get("actor").asText());
    }

    @Test
    @Order(4)
    void wakeSendsAnAuthenticatedMessageAndKeysComeFromAFileToo() throws IOException {
        Path keysFile = Files.createTempFile("fa-keys", ".txt");
        try {
            Files.writeString(keysFile, env.get("FA_MESSAGE_KEYS") + "\n");
            Cli withoutEnvKeys = new Cli(common, Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY",
                    "local"));
            Cli.Run r = withoutEnvKeys.run("--output", "json", "wake", "account/a-1", "--message-keys-file",
                    keysFile.toString(), "--request-id", "wake-1");
            assertEquals(0, r.code(), r.toString());
            assertEquals("wake-1", r.json().get("requestId").asText());
            long version = snapshot("account/a-1").version();
            long rejectedBefore = snapshot("account/a-1").rejected();
            driveUntilIdle();
            // an authenticated wake is accepted (a forged one would be dead-lettered as unauthenticated)
            assertEquals(rejectedBefore, snapshot("account/a-1").rejected());
            assertTrue(snapshot("account/a-1").version() >= version);
            assertEquals(1, cli.run("--output", "json", "dead-letters", "list").json().get("count").asInt(),
                    "the wake was not dead-lettered");
        } finally {
            Files.deleteIfExists(keysFile);
        }
        // keys from Secrets Manager (GetSecretValue, answered by a loopback stand-in speaking its JSON protocol)
        try (SecretsStandIn secrets = SecretsStandIn.start(Map.of("fa/keys", env.get("FA_MESSAGE_KEYS")))) {
            Cli withoutEnvKeys = new Cli(common, Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY",
                    "local"));
            Cli.Run r = withoutEnvKeys.run("--secretsmanager-endpoint-url", secrets.endpoint(), "wake",
                    "account/a-1", "--message-keys-secret-id", "fa/keys", "--request-id", "wake-2");
            assertEquals(0, r.code(), r.toString());
            assertEquals("fa/keys", secrets.asked().get(0));
            driveUntilIdle();
            assertEquals(1, cli.run("--output", "json", "dead-letters", "list").json().get("count").asInt(),
                    "the wake was accepted, not dead-lettered as unauthenticated");
            Cli.Run denied = withoutEnvKeys.run("--secretsmanager-endpoint-url", secrets.endpoint(), "wake",
                    "account/a-1", "--message-keys-secret-id", "fa/other");
            assertEquals(1, denied.code(), denied.toString());
            assertTrue(denied.err().contains("AccessDeniedException") && denied.err().contains("fa/other"),
                    denied.err());
            assertFalse(denied.err().contains(env.get("FA_MESSAGE_KEYS").substring(3)), "no secret shown");
        }

        Cli.Run missing = fa("inspect", "account/nobody");
        assertEquals(1, missing.code(), missing.toString());
        assertTrue(missing.err().contains("has no record in table actors"), missing.err());
    }

    @Test
    @Order(5)
    void theBuiltJarRunsAsAChildProcess() throws Exception {
        String jar = System.getProperty("fifoactors.cliJar");
        assumeTrue(jar != null, "run by failsafe, which knows where the jar is");
        assertTrue(Files.isRegularFile(Paths.get(jar)), "the package phase built " + jar);
        BROKEN.set(true);
        system.tell(ACCOUNT.ref("a-3"), new Audit("late"), "audit-3");
        driveUntil("account/a-3 is parked", () -> snapshot("account/a-3").parked().isPresent());
        BROKEN.set(false);

        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar));
        command.addAll(common);
        command.addAll(List.of("--output", "json", "attention"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> childEnv = new LinkedHashMap<>(env);
        pb.environment().putAll(childEnv);
        Path out = Files.createTempFile("fa-out", ".json");
        Path err = Files.createTempFile("fa-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the jar finished");
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), stderr);
            JsonNode doc = new ObjectMapper().readTree(Files.readString(out));
            assertEquals("account/a-3", doc.get("actors").get(0).get("actor").asText(), doc.toString());

            Process usage = new ProcessBuilder(command.get(0), "-jar", jar, "unpark", "account/a-3")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            usage.getOutputStream().close();
            assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, usage.exitValue(), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        ok("unpark", "account/a-3", "--retry");
        driveUntil("account/a-3 went on", () -> snapshot("account/a-3").parked().isEmpty());
    }
}
