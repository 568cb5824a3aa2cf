package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.e2e.TestLedger.Account;
import io.fifoactors.e2e.TestLedger.Deposit;
import io.fifoactors.e2e.TestLedger.Transfer;
import io.fifoactors.sqswire.StoredLetter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Item 3 of issue 10, hostile producers: a raw SqsClient that may send to the queue but holds no key sends, into the
 * group of one account and between that account's valid deposits, messages that are too big, carry too many
 * attributes, set the adapter's id attribute to something invalid, forge an actor-to-actor credit (a sender, a huge
 * sequence number, a tag) or a system message, use reserved attribute names, name unknown types, or are not JSON.
 * Each is dead-lettered with its reason (read back with SqsDeadLetters), the valid messages behind it in the group are
 * applied, nothing forged is applied, and the account named as the forged sender still gets its later real credits
 * through (a forged sequence number did not move the receiver's mark for it). The cases the runtime takes on purpose
 * (a near-limit valid message, extra attributes, an invalid id attribute) are applied, and said so.
 */
class HostileProducersE2ETest {
    private static LocalAws aws;

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    /** A raw message: group, deduplication id (also its message id), attributes, body. */
    private record Raw(String label, String group, String id, Map<String, String> attributes, String body,
                       String expectedReason) {
    }

    private static MessageAttributeValue text(String s) {
        return MessageAttributeValue.builder().dataType("String").stringValue(s).build();
    }

    private static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Sends one raw message; returns the error SQS answered, or null. */
    private static String sendRaw(LocalAws.Env env, Raw r) {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        r.attributes().forEach((k, v) -> a.put(k, text(v)));
        try {
            aws.sqs().sendMessage(b -> b.queueUrl(env.queues().queueUrl()).messageGroupId(r.group())
                    .messageDeduplicationId(r.id()).messageAttributes(a).messageBody(r.body()));
            return null;
        } catch (SdkException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String deposit(long amount) {
        return "{\"amount\":" + amount + "}";
    }

    @Test
    void hostileMessagesAreDeadLetteredWithTheirReasonsAndNothingForgedIsApplied() {
        LocalAws.Env env = aws.fresh("hostile", OptionalInt.of(15), Duration.ofSeconds(10));
        ActorSystem producer = aws.system(env, TestLedger.ACCOUNT).build();
        String target = "target";
        String victim = "victim";
        String group = "account/" + target;
        long now = Instant.now().toEpochMilli();
        String forgedCredit = "{\"transferId\":\"forged\",\"from\":\"account/victim\",\"amount\":1000000000}";

        // dead-lettered: each with the reason's words expected
        List<Raw> hostile = new ArrayList<>();
        hostile.add(new Raw("a 261,000-byte body that is not JSON", group, "big-garbage",
                attrs("fa-type", "Deposit"), "x".repeat(261_000), "cannot decode"));
        hostile.add(new Raw("10 attributes, malformed body (the letter needs a note)", group, "ten-attrs-garbage",
                tenAttributes(), "{not json", "cannot decode"));
        hostile.add(new Raw("an invalid fa-sqs-id (spaces), malformed body", group, "bad-id-garbage",
                attrs("fa-type", "Deposit", "fa-sqs-id", "an id with spaces"), "{not json", "cannot decode"));
        hostile.add(new Raw("a forged credit from account/victim with a huge sequence and a forged tag", group,
                "forged-credit", attrs("fa-type", "Credit", "fa-from", "account/victim 999999999999 " + now,
                "fa-auth", "e2e:AAAAAAAAAAAAAAAAAAAAAA"), forgedCredit,
                "unauthenticated: the signature does not match"));
        hostile.add(new Raw("a forged credit signed with an unknown key", group, "forged-credit-key",
                attrs("fa-type", "Credit", "fa-from", "account/victim 999999999998 " + now,
                        "fa-auth", "k9:AAAAAAAAAAAAAAAAAAAAAA"), forgedCredit,
                "unauthenticated: signed with an unknown key"));
        hostile.add(new Raw("a credit with fa-from and no fa-auth", group, "forged-credit-unsigned",
                attrs("fa-type", "Credit", "fa-from", "account/victim 999999999997 " + now), forgedCredit,
                "unauthenticated: an actor-to-actor message without fa-auth"));
        hostile.add(new Raw("a forged system message (fa:wake, no tag)", group, "forged-wake",
                attrs("fa-type", "fa:wake"), "x", "unauthenticated: a system message without fa-auth"));
        hostile.add(new Raw("a reserved attribute name (fa-evil)", group, "reserved-attr",
                attrs("fa-type", "Deposit", "fa-evil", "1"), deposit(5), "reserved attribute fa-evil"));
        hostile.add(new Raw("an unknown message type", group, "unknown-type", attrs("fa-type", "Withdraw"),
                deposit(5), "unknown message type 'Withdraw'"));
        hostile.add(new Raw("malformed JSON", group, "bad-json", attrs("fa-type", "Deposit"), "{not json",
                "cannot decode"));
        hostile.add(new Raw("no fa-type", group, "no-type", attrs(), deposit(5), "no fa-type attribute"));
        hostile.add(new Raw("a group id that names no actor", "no-slash-here", "bad-group",
                attrs("fa-type", "Deposit"), deposit(5), "group id"));
        hostile.add(new Raw("an unregistered actor type", "ghost/x", "ghost", attrs("fa-type", "Deposit"),
                deposit(5), "no actor type 'ghost'"));

        // applied on purpose: valid messages with odd envelopes
        List<Raw> accepted = new ArrayList<>();
        String nearLimit = "{\"amount\":7,\"pad\":\"" + "p".repeat(261_000 - 30) + "\"}";
        accepted.add(new Raw("a valid deposit padded to " + nearLimit.length() + " bytes", group, "big-valid",
                attrs("fa-type", "Deposit"), nearLimit, null));
        accepted.add(new Raw("a valid deposit with 10 attributes", group, "ten-attrs-valid", tenAttributes(),
                deposit(11), null));
        accepted.add(new Raw("a valid deposit with an invalid fa-sqs-id (spaces)", group, "bad-id-valid",
                attrs("fa-type", "Deposit", "fa-sqs-id", "an id with spaces"), deposit(13), null));
        accepted.add(new Raw("a valid deposit with the adapter's fa-sqs-reason (stripped on receive)", group,
                "adapter-attr-valid", attrs("fa-type", "Deposit", "fa-sqs-reason", "hello"), deposit(17), null));
        // dropped on purpose: a message marked as a dead-letter note is deleted by the mailbox, never delivered
        Raw note = new Raw("a valid deposit marked as a dead-letter note (fa-sqs-note)", group, "fake-note",
                attrs("fa-type", "Deposit", "fa-sqs-note", "dl-0"), deposit(1_000), null);

        OutcomeRecorder outcomes = new OutcomeRecorder();
        ActorSystem consumers = aws.system(env, TestLedger.ACCOUNT).listener(outcomes).build();
        Poller poller = Poller.builder().system(consumers).name("hostile").consumers(2)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1)).build();
        Checks checks = new Checks("hostile producers (raw SqsClient, no key), " + env.redriveText());
        DeadLetterProbe probe = new DeadLetterProbe(aws.sqs(), env.queues());
        long expectedTarget = 0;
        long validDeposits = 0;
        try {
            // the victim is funded first and transfers to the target only after the forged credits are queued
            LedgerWorkload.send(producer, List.of(new LedgerWorkload.Tx("victim-dep", victim, new Deposit(1000))));
            int n = 0;
            Map<String, String> refusedAtSend = new LinkedHashMap<>();
            List<Raw> sentHostile = new ArrayList<>();
            for (Raw h : hostile) {
                long amount = 100 + n++;
                LedgerWorkload.send(producer, List.of(new LedgerWorkload.Tx("valid-" + n, target,
                        new Deposit(amount))));
                expectedTarget += amount;
                validDeposits++;
                String error = sendRaw(env, h);
                if (error != null) {
                    refusedAtSend.put(h.id(), error);
                } else {
                    sentHostile.add(h);
                }
            }
            Raw mib = new Raw("a 1 MiB body (over the queue's 262,144-byte limit)", group, "one-mib",
                    attrs("fa-type", "Deposit"), "y".repeat(1_048_000), "cannot decode");
            String mibError = sendRaw(env, mib);
            if (mibError == null) {
                sentHostile.add(mib);
            }
            for (Raw a : accepted) {
                assertSent(env, a);
            }
            expectedTarget += 7 + 11 + 13 + 17;
            assertSent(env, note);
            // a plain producer credit naming the victim: no sender, so the ledger refuses it (not an error)
            LedgerWorkload.send(producer, List.of(new LedgerWorkload.Tx("plain-credit", target,
                    new TestLedger.Credit("plain", TestLedger.account(victim), 1_000_000))));
            // the victim's real transfers, after the forgeries
            for (int i = 1; i <= 3; i++) {
                LedgerWorkload.send(producer, List.of(new LedgerWorkload.Tx("victim-tx-" + i, victim,
                        new Transfer("victim-tx-" + i, TestLedger.account(target), 10L * i))));
                expectedTarget += 10L * i;
            }
            LedgerWorkload.send(producer, List.of(new LedgerWorkload.Tx("valid-last", target, new Deposit(1))));
            expectedTarget += 1;
            validDeposits++;

            poller.start();
            int expectedLetters = sentHostile.size();
            List<StoredLetter> letters = probe.awaitTaken(expectedLetters, Duration.ofSeconds(60));
            long expectedTargetFinal = expectedTarget;
            Await.until("the target applied everything valid", Duration.ofSeconds(60), Duration.ofMillis(200),
                    () -> producer.inspect(TestLedger.ACCOUNT, target).state().balance() == expectedTargetFinal
                            && aws.messagesIn(env.queues().queueUrl()) == 0,
                    () -> producer.inspect(TestLedger.ACCOUNT, target).toString());
            letters = probe.takeAll();

            Map<String, StoredLetter> byId = new LinkedHashMap<>();
            letters.forEach(l -> byId.put(l.messageId(), l));
            ActorSnapshot<Account> t = producer.inspect(TestLedger.ACCOUNT, target);
            ActorSnapshot<Account> v = producer.inspect(TestLedger.ACCOUNT, victim);
            checks.figure("dead letters", letters.size() + " (" + letters.stream().filter(l -> l.note() != null)
                    .count() + " with a note before the copy)");
            refusedAtSend.forEach((id, e) -> checks.figure("refused by ElasticMQ at send", id + ": " + e));
            checks.figure("1 MiB body at send", mibError == null ? "accepted by ElasticMQ" : "refused: " + mibError);
            for (Raw h : sentHostile) {
                StoredLetter l = byId.get(h.id());
                checks.figure("  " + h.id(), l == null ? "(no letter)" : l.reason());
                checks.check(h.label() + ": dead-lettered with its reason", l != null
                                && l.reason().toLowerCase().contains(h.expectedReason().toLowerCase())
                                && l.groupId().equals(h.group()),
                        l == null ? "no letter" : l.groupId() + ": " + l.reason());
                checks.check(h.label() + ": dead-lettered at once, never retried",
                        outcomes.of(h.group(), h.id()).stream().map(Outcome::kind).toList()
                                .equals(List.of(Outcome.Kind.DEAD_LETTERED)), outcomes.of(h.group(), h.id())
                                .toString());
                if (l != null && h.body().length() > 200_000) {
                    checks.check(h.label() + ": the letter holds the whole body", l.body().length == h.body()
                            .length(), l.body().length + " bytes");
                }
            }
            checks.check(note.label() + ": deleted by the mailbox, never delivered nor dead-lettered",
                    outcomes.where(o -> o.messageId().equals(note.id())).isEmpty() && !byId.containsKey(note.id()),
                    outcomes.where(o -> o.messageId().equals(note.id())).toString());
            checks.check("nothing else dead-lettered", letters.size() == sentHostile.size(),
                    letters.stream().map(StoredLetter::messageId).toList().toString());
            for (Raw a : accepted) {
                List<Outcome> o = outcomes.where(x -> x.groupId().equals(group) && x.kind() == Outcome.Kind.APPLIED
                        && (x.messageId().equals(a.id())));
                checks.check(a.label() + ": applied once, under its deduplication id", o.size() == 1,
                        outcomes.where(x -> x.messageId().equals(a.id())).toString());
            }
            checks.check("the target's valid messages all applied, in its group behind the hostile ones",
                    t.state().balance() == expectedTarget && t.state().deposited() == expectedTarget - 60
                            && t.applied() == validDeposits + accepted.size() + 3,
                    t.state() + ", applied " + t.applied() + ", rejected " + t.rejected());
            checks.check("nothing forged applied: the plain credit naming the victim was refused by the ledger",
                    t.rejected() == 1 && t.recentRejections().stream()
                            .anyMatch(r -> r.reason().startsWith(TestLedger.CREDIT_NOT_FROM_SENDER)),
                    t.recentRejections().toString());
            checks.check("the victim's later real transfers were credited (no forged sequence moved its mark)",
                    t.state().credited() == 60 && v.state().balance() == 1000 - 60
                            && outcomes.count(group, Outcome.Kind.DUPLICATE) == 0,
                    "target credited " + t.state().credited() + ", victim " + v.state() + ", duplicates "
                            + outcomes.count(group, Outcome.Kind.DUPLICATE));
            checks.check("no message reported applied twice", outcomes.appliedTwice().isEmpty(),
                    outcomes.appliedTwice().toString());
            checks.figure("outcomes", outcomes.counts());
        } finally {
            poller.shutdown(Duration.ofSeconds(10));
        }
        checks.printAndAssert();
    }

    private static void assertSent(LocalAws.Env env, Raw r) {
        String error = sendRaw(env, r);
        if (error != null) {
            throw new AssertionError(r.label() + " was refused at send: " + error);
        }
    }

    /** fa-type and nine more: SQS's limit of ten, three more than a mailbox lets a producer set. */
    private static Map<String, String> tenAttributes() {
        Map<String, String> m = attrs("fa-type", "Deposit");
        for (int i = 1; i <= 9; i++) {
            m.put("extra" + i, "value " + i);
        }
        return m;
    }
}
