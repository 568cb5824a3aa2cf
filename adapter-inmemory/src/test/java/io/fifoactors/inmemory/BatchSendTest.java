package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The outboxes of the actors of one batch are sent together, and a failed send releases only the senders. */
class BatchSendTest {
    private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryMailbox queue = InMemoryMailbox.builder().clock(clock).build();
    private final SendSpy mailbox = new SendSpy(queue);
    private final ActorSystem system = ActorSystem.builder().register(Recorder.type("rec", PoisonPolicy.DEAD_LETTER))
            .stateStore(InMemoryStateStore.create()).mailbox(mailbox).clock(clock).build();

    @Test
    void oneSendCarriesTheOutboxesOfEveryActorInTheBatch() {
        system.send(id("a"), new Recorder.Forward("a1", "x"), "p-1");
        system.send(id("b"), new Recorder.Forward("b1", "y"), "p-2");
        system.send(id("c"), new Recorder.Forward("c1", "x"), "p-3");
        system.send(id("d"), new Recorder.Append("d1"), "p-4");
        mailbox.sends.clear();

        BatchOutcome outcome = system.processAndSettle(receive(), Duration.ZERO);

        assertEquals(4, outcome.succeeded().size());
        assertEquals(List.of(3), mailbox.sends, "one send request with the three forwards");
        drain();
        assertEquals(List.of("from a: a1", "from c: c1"), log("x"));
        assertEquals(List.of("from b: b1"), log("y"));
    }

    @Test
    void aFailedSendReleasesTheSendersOnlyAndTheirCommitsAreSentOnRedelivery() {
        system.send(id("a"), new Recorder.Forward("a1", "x"), "p-1");
        system.send(id("b"), new Recorder.Forward("b1", "y"), "p-2");
        system.send(id("d"), new Recorder.Append("d1"), "p-3");
        mailbox.failNextSend = true;

        BatchOutcome outcome = system.processAndSettle(receive(), Duration.ZERO);

        Set<String> released = outcome.failed().stream().map(Delivery::groupId).collect(Collectors.toSet());
        assertEquals(Set.of("rec/a", "rec/b"), released);
        assertEquals(List.of("rec/d"), outcome.succeeded().stream().map(Delivery::groupId).toList());
        // the forwards were committed before the send failed: the redelivery is a duplicate that re-sends them
        assertEquals(List.of("a1"), log("a"));
        drain();
        assertEquals(List.of("a1"), log("a"));
        assertEquals(List.of("b1"), log("b"));
        assertEquals(List.of("from a: a1"), log("x"));
        assertEquals(List.of("from b: b1"), log("y"));
        assertEquals(0, queue.size());
    }

    private List<Delivery> receive() {
        return queue.receive(10, Duration.ofSeconds(30), Duration.ZERO);
    }

    private void drain() {
        for (int i = 0; i < 20 && queue.size() > 0; i++) {
            system.processAndSettle(receive(), Duration.ZERO);
        }
        assertEquals(0, queue.size(), "the queue drains");
    }

    private List<String> log(String key) {
        return system.inspect(id(key), Recorder.Log.class).state().entries();
    }

    private static ActorId id(String key) {
        return ActorId.of("rec", key);
    }
}
