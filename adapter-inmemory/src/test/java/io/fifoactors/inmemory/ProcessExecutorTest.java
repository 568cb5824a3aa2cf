package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessExecutorTest {
    @Test
    void groupsRunConcurrentlyAndARejectingExecutorDelaysButNeverDropsAGroup() {
        VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger submissions = new AtomicInteger();
        try {
            ActorSystem system = ActorSystem.builder().register(Recorder.REC)
                    .stateStore(InMemoryStateStore.create()).mailbox(mailbox).clock(clock)
                    .groupExecutor(r -> {
                        if (submissions.incrementAndGet() % 2 == 0) {
                            throw new RejectedExecutionException("saturated");
                        }
                        pool.execute(r);
                    })
                    .build();
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < 2; i++) {
                    system.send(ActorId.of("rec", "k" + k), new Recorder.Append("t" + i), "m-" + k + "-" + i);
                }
            }
            List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(8, batch.size());
            BatchOutcome outcome = system.processAndSettle(batch, Duration.ZERO);
            assertEquals(8, outcome.succeeded().size());
            assertEquals(List.of(), outcome.failed());
            for (int k = 0; k < 4; k++) {
                assertEquals(List.of("t0", "t1"), system.inspect(ActorId.of("rec", "k" + k), Recorder.Log.class)
                        .state().entries());
            }
            assertEquals(4, submissions.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
