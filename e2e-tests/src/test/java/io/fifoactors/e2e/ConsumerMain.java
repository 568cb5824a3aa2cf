package io.fifoactors.e2e;

import io.fifoactors.examples.demo.aws.AwsClients;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A ledger consumer for a child JVM: wires ActorSystem + SqsMailbox + DynamoDbStateStore + SqsPoller against the
 * endpoints in its arguments, prints {@code READY}, then one line per outcome
 * ({@code OUTCOME<tab>group<tab>messageId<tab>kind<tab>detail}), and stops gracefully and exits when its standard
 * input closes (so a parent that dies leaves no consumer behind).
 *
 * <p>Arguments: sqsEndpoint dynamoEndpoint queueUrl deadLetterQueueUrl table consumers visibilitySeconds
 * redrive ({@code queue}: the queue redrives after 10 receives; {@code runtime}: it has no policy, the runtime does).
 */
public final class ConsumerMain {
    static final String READY = "READY";
    static final String OUTCOME = "OUTCOME";

    private ConsumerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 8) {
            System.err.println("usage: ConsumerMain sqsEndpoint dynamoEndpoint queueUrl dlqUrl table consumers"
                    + " visibilitySeconds queue|runtime");
            System.exit(2);
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        SqsClient sqs = AwsClients.sqs(URI.create(args[0]));
        DynamoDbClient dynamo = AwsClients.dynamo(URI.create(args[1]));
        SqsQueues queues = new SqsQueues(args[2], args[3], "arn:aws:sqs:us-east-1:000000000000:q.fifo",
                "arn:aws:sqs:us-east-1:000000000000:q-dlq.fifo");
        PollerNode node = PollerNode.builder(sqs, dynamo, queues, args[4])
                .name("child-" + ProcessHandle.current().pid())
                .register(Ledger.ACCOUNT)
                .consumers(Integer.parseInt(args[5]))
                .groupThreads(4)
                // the record cache on real servers; a killed JVM loses it and its successor starts by reading
                .recordCache(10_000)
                .runtimeRedrive(args[7].equals("runtime")).redriveMaxReceiveCount(10)
                .visibility(Duration.ofSeconds(Long.parseLong(args[6])))
                .waitTime(Duration.ofSeconds(1))
                .listener(o -> out.println(OUTCOME + "\t" + (o.actor() == null ? "-" : o.actor().groupId()) + "\t"
                        + o.messageId() + "\t" + o.kind() + "\t" + (o.detail() == null ? "" : o.detail())
                        .replace('\t', ' ').replace('\n', ' ')))
                .build()
                .start();
        out.println(READY);
        while (System.in.read() != -1) {
            // the parent never writes; end of input means "stop"
        }
        boolean graceful = node.stop();
        out.println("STOPPED graceful=" + graceful + " " + node.poller().stats());
        sqs.close();
        dynamo.close();
        System.exit(graceful ? 0 : 3);
    }
}
