package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A ledger consumer for a child JVM: an ActorSystem over SqsMailbox, DynamoDbStateStore and SqsScheduler on the
 * endpoints in its arguments, run by a Poller; it prints {@code READY}, then one line per outcome
 * ({@code OUTCOME<tab>group<tab>messageId<tab>kind<tab>receiveCount<tab>detail}), and stops gracefully and exits when
 * its standard input closes (so a parent that dies leaves no consumer behind). The redrive policy is the queue's.
 *
 * <p>Arguments: sqsEndpoint dynamoEndpoint queueUrl deadLetterQueueUrl timerQueueUrl table consumers
 * visibilitySeconds.
 */
public final class ConsumerMain {
    static final String READY = "READY";
    static final String OUTCOME = "OUTCOME";
    static final String STOPPED = "STOPPED";

    private ConsumerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 8) {
            System.err.println("usage: ConsumerMain sqsEndpoint dynamoEndpoint queueUrl dlqUrl timerQueueUrl table"
                    + " consumers visibilitySeconds");
            System.exit(2);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        SqsClient sqs = LocalAws.sqsClient(URI.create(args[0]));
        DynamoDbClient dynamo = LocalAws.dynamoClient(URI.create(args[1]));
        SqsQueues queues = new SqsQueues(args[2], args[3], "arn:aws:sqs:us-east-1:000000000000:q.fifo",
                "arn:aws:sqs:us-east-1:000000000000:q-dlq.fifo");
        LocalAws.Env env = new LocalAws.Env("child", queues, args[4], args[5], OptionalInt.empty());
        ActorSystem system = LocalAws.system(env, sqs, dynamo, TestLedger.ACCOUNT)
                // the record cache on real servers: a killed JVM loses it, and its successor starts by reading
                .recordCache(10_000)
                .listener(o -> out.println(OUTCOME + "\t" + o.groupId() + "\t" + o.messageId() + "\t" + o.kind()
                        + "\t" + o.receiveCount() + "\t" + o.detail().replace('\t', ' ').replace('\n', ' ')))
                .build();
        Poller poller = Poller.builder().system(system).name("child-" + ProcessHandle.current().pid())
                .consumers(Integer.parseInt(args[6]))
                .visibilityTimeout(Duration.ofSeconds(Long.parseLong(args[7])))
                .waitTime(Duration.ofSeconds(1))
                .build();
        poller.start();
        out.println(READY);
        while (System.in.read() != -1) {
            // the parent never writes; end of input means "stop"
        }
        boolean graceful = poller.shutdown(Duration.ofSeconds(15));
        out.println(STOPPED + " graceful=" + graceful + " " + poller.stats());
        sqs.close();
        dynamo.close();
        System.exit(graceful ? 0 : 3);
    }
}
