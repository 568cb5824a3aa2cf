package io.fifoactors.sqs;

import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqsErrorsTest {
    private static final String URL = "http://127.0.0.1:1/000000000000/q.fifo";

    private static SqsException service(int status, String code) {
        return (SqsException) SqsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("details").build())
                .message(code).build();
    }

    private static FifoActorsException map(Exception e) {
        return SqsErrors.map("SendMessageBatch", URL, (software.amazon.awssdk.core.exception.SdkException) e);
    }

    @Test
    void throttlingServerErrorsAndIoFailuresAreTransient() {
        for (Exception e : new Exception[] {
                service(500, "InternalError"),
                service(503, "ServiceUnavailable"),
                service(400, "ThrottlingException"),
                service(400, "RequestThrottled"),
                service(400, "AWS.SimpleQueueService.RequestThrottled"),
                service(429, "TooManyRequests"),
                SdkClientException.create("Unable to execute HTTP request: Connection refused"),
                ApiCallTimeoutException.create(1000),
        }) {
            FifoActorsException mapped = map(e);
            assertInstanceOf(TransientFailureException.class, mapped, e.toString());
            assertTrue(mapped.isRetryable());
            assertSame(e, mapped.getCause());
        }
    }

    @Test
    void missingQueuesAccessDeniedAndInvalidRequestsArePermanent() {
        QueueDoesNotExistException missing = QueueDoesNotExistException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AWS.SimpleQueueService.NonExistentQueue").build())
                .build();
        for (Exception e : new Exception[] {
                missing,
                service(403, "AccessDenied"),
                service(400, "InvalidParameterValue"),
                service(400, "InvalidMessageContents"),
                service(400, "KmsAccessDenied"),
        }) {
            FifoActorsException mapped = map(e);
            assertInstanceOf(PermanentFailureException.class, mapped, e.toString());
            assertTrue(!mapped.isRetryable());
        }
    }

    @Test
    void theMessageNamesOperationQueueCodeAndStatus() {
        FifoActorsException mapped = map(service(403, "AccessDenied"));
        assertEquals("SQS SendMessageBatch on " + URL + " failed: AccessDenied (HTTP 403)", mapped.getMessage());
    }

    private static BatchResultErrorEntry entry(String code, Boolean senderFault, String message) {
        return BatchResultErrorEntry.builder().id("0").code(code).senderFault(senderFault).message(message).build();
    }

    @Test
    void staleReceiptsAreRecognisedInTheirSeveralSpellings() {
        for (BatchResultErrorEntry e : new BatchResultErrorEntry[] {
                entry("ReceiptHandleIsInvalid", true, "The receipt handle \"x\" is not valid."),
                entry("AWS.SimpleQueueService.MessageNotInflight", true, null),
                entry("MessageNotInflight", true, null),
                entry("InvalidParameterValue", true,
                        "Value x for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired."),
        }) {
            assertEquals(SqsErrors.EntryFailure.STALE_RECEIPT, SqsErrors.classify(e), e.toString());
        }
    }

    @Test
    void otherEntryFailuresAreTransientUnlessTheSenderIsAtFault() {
        assertEquals(SqsErrors.EntryFailure.TRANSIENT, SqsErrors.classify(entry("InternalError", false, null)));
        assertEquals(SqsErrors.EntryFailure.TRANSIENT, SqsErrors.classify(entry("Whatever", null, null)));
        assertEquals(SqsErrors.EntryFailure.TRANSIENT, SqsErrors.classify(entry("RequestThrottled", true, null)));
        assertEquals(SqsErrors.EntryFailure.PERMANENT,
                SqsErrors.classify(entry("InvalidParameterValue", true, "MessageGroupId is invalid")));
        assertEquals(SqsErrors.EntryFailure.PERMANENT, SqsErrors.classify(entry("InvalidAttributeValue", true, null)));
    }

    @Test
    void entryFailuresBecomeTypedExceptionsNamingTheMessage() {
        FifoActorsException t = SqsErrors.entryFailure("SendMessageBatch", URL, "message m-1",
                entry("InternalError", false, null), 4);
        assertInstanceOf(TransientFailureException.class, t);
        assertEquals("SQS SendMessageBatch on " + URL + " failed for message m-1: InternalError (service fault)"
                + " after 4 attempts", t.getMessage());
        assertInstanceOf(PermanentFailureException.class, SqsErrors.entryFailure("SendMessageBatch", URL,
                "message m-1", entry("InvalidAttributeValue", true, null), 1));
    }
}
