package io.fifoactors.observability.opentelemetry;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.MessageTracing;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.fifoactors.inmemory.VirtualClock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.fifoactors.observability.opentelemetry.Accounts.ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenTelemetry binding over the in-memory adapter, with the SDK's in-memory exporter: a transfer from account A
 * to account B is one trace (producer, A, B), spans carry the actor, the message type and the outcome, a hostile
 * {@code traceparent} is ignored, and without the binding (or without an SDK) nothing changes.
 */
class OpenTelemetryTracingTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetry otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final Tracer producer = otel.getTracer("test-producer");

    @BeforeEach
    void clear() {
        Accounts.CURRENT_SPANS.clear();
    }

    @AfterEach
    void close() {
        provider.close();
    }

    private static ActorSystem.Builder system(InMemoryMailbox mailbox, InMemoryStateStore store) {
        return ActorSystem.builder().register(ACCOUNT).stateStore(store).mailbox(mailbox)
                .scheduler(mailbox.scheduler()).messageKeys(MessageKeys.forSimulation(5)).maxAttempts(1);
    }

    private static SpanData only(List<SpanData> spans, String actorId, String messageType) {
        List<SpanData> found = spans.stream()
                .filter(s -> actorId.equals(s.getAttributes().get(OpenTelemetryTracing.ACTOR_ID))
                        && messageType.equals(s.getAttributes().get(OpenTelemetryTracing.MESSAGE_TYPE)))
                .toList();
        assertEquals(1, found.size(), actorId + " " + messageType + " in " + spans);
        return found.get(0);
    }

    @Test
    void aTransferFromAToBIsOneTraceFromTheProducerThroughBothAccounts() throws Exception {
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(Clock.systemUTC()).noRedrive().build();
        CountDownLatch credited = new CountDownLatch(1);
        CountDownLatch deposited = new CountDownLatch(1);
        ActorSystem system = system(mailbox, InMemoryStateStore.create())
                .tracing(OpenTelemetryTracing.create(otel))
                .listener(o -> {
                    if (o.kind() == Outcome.Kind.APPLIED && o.groupId().equals("account/B")) {
                        credited.countDown();
                    } else if (o.kind() == Outcome.Kind.APPLIED && o.messageId().equals("dep-1")) {
                        deposited.countDown();
                    }
                }).build();
        Poller poller = Poller.builder().system(system).consumers(2).waitTime(Duration.ofMillis(100)).build();
        poller.start();
        try {
            system.tell(ACCOUNT.ref("A"), new Accounts.Deposit(100), "dep-1"); // no span current: a trace of its own
            assertTrue(deposited.await(20, TimeUnit.SECONDS), "deposit not applied: " + poller.stats());
            Span request = producer.spanBuilder("transfer request").setSpanKind(SpanKind.PRODUCER).startSpan();
            try (Scope ignored = request.makeCurrent()) {
                system.tell(ACCOUNT.ref("A"), new Accounts.Transfer("B", 30), "tx-1");
            } finally {
                request.end();
            }
            assertTrue(credited.await(20, TimeUnit.SECONDS), "B not credited: " + poller.stats());
        } finally {
            assertTrue(poller.shutdown(Duration.ofSeconds(10)));
        }
        assertEquals(70, system.inspect(ACCOUNT, "A").state().amount());
        assertEquals(30, system.inspect(ACCOUNT, "B").state().amount());

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData requestSpan = spans.stream().filter(s -> s.getName().equals("transfer request")).findFirst()
                .orElseThrow();
        SpanData deposit = only(spans, "account/A", "Deposit");
        SpanData atA = only(spans, "account/A", "Transfer");
        SpanData atB = only(spans, "account/B", "Credit");
        assertEquals(4, spans.size(), spans.toString());

        // one trace: request -> A's transfer -> B's credit
        String trace = requestSpan.getTraceId();
        assertEquals(trace, atA.getTraceId());
        assertEquals(trace, atB.getTraceId());
        assertEquals(requestSpan.getSpanId(), atA.getParentSpanId());
        assertEquals(atA.getSpanId(), atB.getParentSpanId());
        assertTrue(atA.getParentSpanContext().isRemote(), "A's parent came over the wire");
        // the earlier deposit, sent with no span current, is a trace of its own
        assertNotEquals(trace, deposit.getTraceId());
        assertFalse(deposit.getParentSpanContext().isValid());

        // what each span says
        for (SpanData s : List.of(atA, atB, deposit)) {
            assertEquals(SpanKind.CONSUMER, s.getKind());
            assertEquals("account", s.getAttributes().get(OpenTelemetryTracing.ACTOR_TYPE));
            assertEquals("applied", s.getAttributes().get(OpenTelemetryTracing.OUTCOME));
            assertEquals(1L, s.getAttributes().get(OpenTelemetryTracing.RECEIVE_COUNT));
            assertEquals("process", s.getAttributes().get(OpenTelemetryTracing.OPERATION_TYPE));
            assertEquals(StatusCode.UNSET, s.getStatus().getStatusCode());
            assertEquals(OpenTelemetryTracing.INSTRUMENTATION_NAME, s.getInstrumentationScopeInfo().getName());
        }
        assertEquals("process account Transfer", atA.getName());
        assertEquals("process account Credit", atB.getName());
        assertEquals("tx-1", atA.getAttributes().get(OpenTelemetryTracing.MESSAGE_ID));
        // while each handler ran, its delivery's span was current (handlers' own spans and logs join the trace)
        assertTrue(Accounts.CURRENT_SPANS.contains("A " + atA.getSpanId()), Accounts.CURRENT_SPANS.toString());
        assertTrue(Accounts.CURRENT_SPANS.contains("B " + atB.getSpanId()), Accounts.CURRENT_SPANS.toString());
    }

    // ------------------------------------------------------------------------------------------------ one at a time

    private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));

    /** Receives and processes until the mailbox is empty; returns the deliveries seen. */
    private List<Delivery> drain(InMemoryMailbox mailbox, ActorSystem system) {
        List<Delivery> seen = new java.util.ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
            if (batch.isEmpty()) {
                return seen;
            }
            seen.addAll(batch);
            BatchOutcome r = system.process(batch);
            mailbox.acknowledge(r.succeeded());
        }
        throw new AssertionError("the mailbox did not drain");
    }

    private InMemoryMailbox virtualMailbox() {
        return InMemoryMailbox.builder().clock(clock).noRedrive().build();
    }

    private ActorSystem virtualSystem(InMemoryMailbox mailbox, MessageTracing tracing) {
        ActorSystem.Builder b = system(mailbox, InMemoryStateStore.builder().clock(clock).build()).clock(clock)
                .inlineGroups();
        return (tracing == null ? b : b.tracing(tracing)).build();
    }

    @Test
    void aMalformedOrHostileTraceparentIsIgnoredAndTheMessageStartsANewTrace() {
        InMemoryMailbox mailbox = virtualMailbox();
        ActorSystem system = virtualSystem(mailbox, OpenTelemetryTracing.create(otel));
        String hostileTrace = "0af7651916cd43dd8448eb211c80319c";
        List<String> hostile = List.of(
                "00-" + hostileTrace.toUpperCase() + "-b7ad6b7169203331-01",       // upper case
                "00-" + hostileTrace + "-b7ad6b7169203331-01-deadbeef",             // an extra field
                "01-" + hostileTrace + "-b7ad6b7169203331-01",                      // a version not carried
                "00-" + hostileTrace + "-0000000000000000-01",                      // an invalid parent id
                "00-" + hostileTrace + "-b7ad6b7169203331-01\r\nX-Injected: 1",     // header injection
                "00-".repeat(30_000));                                              // a large value
        byte[] body = "{\"amount\":5}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hostile.size(); i++) {
            mailbox.send(List.of(new OutgoingMessage("account/H" + i, "raw-" + i,
                    Map.of(Envelope.TYPE, "Deposit", Envelope.TRACEPARENT, hostile.get(i)), body)));
        }
        drain(mailbox, system);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(hostile.size(), spans.size());
        for (int i = 0; i < hostile.size(); i++) {
            assertEquals(5, system.inspect(ACCOUNT, "H" + i).state().amount(), "processed despite it");
            SpanData s = only(spans, "account/H" + i, "Deposit");
            assertFalse(s.getParentSpanContext().isValid(), "no parent from " + hostile.get(i));
            assertNotEquals(hostileTrace, s.getTraceId(), "a new root trace");
            assertEquals("applied", s.getAttributes().get(OpenTelemetryTracing.OUTCOME));
        }
        assertEquals(hostile.size(), spans.stream().map(SpanData::getTraceId).distinct().count());
    }

    @Test
    void spansEndWithTheOutcomeRejectedAndDeadLetteredInError() {
        InMemoryMailbox mailbox = virtualMailbox();
        ActorSystem system = virtualSystem(mailbox, OpenTelemetryTracing.create(otel));
        system.tell(ACCOUNT.ref("A"), new Accounts.Transfer("B", 30), "tx-broke");
        system.tell(ACCOUNT.ref("P"), new Accounts.Poison(), "poison-1");
        mailbox.send(List.of(new OutgoingMessage("account/U", "raw-u", Map.of(Envelope.TYPE, "Embezzle"),
                "{}".getBytes(StandardCharsets.UTF_8))));
        drain(mailbox, system);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData rejected = only(spans, "account/A", "Transfer");
        assertEquals("rejected", rejected.getAttributes().get(OpenTelemetryTracing.OUTCOME));
        assertEquals("insufficient funds: 0 < 30", rejected.getAttributes().get(OpenTelemetryTracing.OUTCOME_DETAIL));
        assertEquals(StatusCode.UNSET, rejected.getStatus().getStatusCode(), "a refusal is not an error");
        SpanData poison = only(spans, "account/P", "Poison");
        assertEquals("dead_lettered", poison.getAttributes().get(OpenTelemetryTracing.OUTCOME));
        assertEquals(StatusCode.ERROR, poison.getStatus().getStatusCode());
        assertTrue(poison.getAttributes().get(OpenTelemetryTracing.OUTCOME_DETAIL).contains("poison"));
        SpanData unknown = only(spans, "account/U", MessageTracing.HandledMessage.UNKNOWN);
        assertEquals("process account unknown", unknown.getName(), "the producer's type name is not echoed");
        assertEquals("dead_lettered", unknown.getAttributes().get(OpenTelemetryTracing.OUTCOME));
        assertEquals(3, spans.size());
        assertTrue(spans.stream().noneMatch(s -> s.getName().contains("Embezzle")));
    }

    @Test
    void withoutTracingConfiguredNoAttributeIsAddedAndNoSpanStarted() {
        InMemoryMailbox mailbox = virtualMailbox();
        ActorSystem system = virtualSystem(mailbox, null);
        system.tell(ACCOUNT.ref("A"), new Accounts.Deposit(100), "dep-1");
        drain(mailbox, system);
        Span request = producer.spanBuilder("transfer request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            system.tell(ACCOUNT.ref("A"), new Accounts.Transfer("B", 30), "tx-1");
        } finally {
            request.end();
        }
        List<Delivery> deliveries = drain(mailbox, system);
        assertEquals(2, deliveries.size());
        assertEquals(java.util.Set.of(Envelope.TYPE), deliveries.get(0).attributes().keySet());
        assertEquals(java.util.Set.of(Envelope.TYPE, Envelope.FROM, Envelope.AUTH),
                deliveries.get(1).attributes().keySet());
        assertEquals(List.of("transfer request"), exporter.getFinishedSpanItems().stream().map(SpanData::getName)
                .toList(), "only the producer's own span");
        assertEquals(30, system.inspect(ACCOUNT, "B").state().amount());
    }

    @Test
    void withTheApiAloneNothingIsRecordedAndTheProducersContextPassesThrough() {
        InMemoryMailbox mailbox = virtualMailbox();
        ActorSystem system = virtualSystem(mailbox, OpenTelemetryTracing.create(OpenTelemetry.noop()));
        system.tell(ACCOUNT.ref("A"), new Accounts.Deposit(100), "dep-1");
        List<Delivery> first = drain(mailbox, system);
        assertFalse(first.get(0).attributes().containsKey(Envelope.TRACEPARENT), "no span, no context");

        SpanContext remote = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(remote)).makeCurrent()) {
            system.tell(ACCOUNT.ref("A"), new Accounts.Transfer("B", 30), "tx-1");
        }
        List<Delivery> deliveries = drain(mailbox, system);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertEquals(traceparent, deliveries.get(0).attributes().get(Envelope.TRACEPARENT));
        assertEquals(traceparent, deliveries.get(1).attributes().get(Envelope.TRACEPARENT),
                "the no-op span is the incoming context itself, so B's message carries the producer's context on");
        assertEquals(30, system.inspect(ACCOUNT, "B").state().amount());
        assertTrue(exporter.getFinishedSpanItems().isEmpty());
    }

    @Test
    void theCurrentTraceparentIsTheCallersSpanInW3cFormat() {
        OpenTelemetryTracing tracing = OpenTelemetryTracing.create(otel);
        assertEquals(Optional.empty(), tracing.currentTraceparent());
        Span request = producer.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            String expected = "00-" + request.getSpanContext().getTraceId() + "-"
                    + request.getSpanContext().getSpanId() + "-" + request.getSpanContext().getTraceFlags().asHex();
            assertTrue(request.getSpanContext().isSampled());
            assertEquals(Optional.of(expected), tracing.currentTraceparent());
            assertTrue(MessageTracing.isValidTraceparent(expected));
        } finally {
            request.end();
        }
    }
}
