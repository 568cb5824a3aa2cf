package io.fifoactors.sqs;

import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;

import java.util.Locale;
import java.util.Set;

/**
 * Maps SQS failures to the core's exception types. Messages name the operation, the queue and the AWS error code,
 * never a message body. Stateless and thread-safe.
 */
final class SqsErrors {
    private static final String LEGACY_PREFIX = "AWS.SimpleQueueService.";
    /** Codes that mean "try again later", whatever the HTTP status. */
    private static final Set<String> RETRYABLE_CODES = Set.of(
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "RequestLimitExceeded", "TooManyRequestsException", "SlowDown", "KmsThrottled", "KMS.ThrottlingException",
            "ServiceUnavailable", "InternalError", "InternalFailure", "RequestTimeout", "RequestTimeoutException",
            "QueueDeletedRecently",
            "PriorRequestNotComplete");
    /** Codes that mean the receipt handle no longer names an in-flight receipt. */
    private static final Set<String> STALE_RECEIPT_CODES = Set.of(
            "ReceiptHandleIsInvalid", "InvalidReceiptHandle", "MessageNotInflight");
    private static final int MAX_DETAIL = 300;

    /** What to do with one failed batch entry. */
    enum EntryFailure {
        /** The receipt is no longer valid (the message was received again, deleted or its visibility expired). */
        STALE_RECEIPT,
        /** Worth retrying. */
        TRANSIENT,
        /** Will fail again. */
        PERMANENT
    }

    private SqsErrors() {
    }

    /** The core exception for an SDK failure of {@code operation} on {@code queueUrl}. */
    static FifoActorsException map(String operation, String queueUrl, SdkException e) {
        String where = "SQS " + operation + " on " + queueUrl + " failed";
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = where + ": " + (code == null ? "unknown error" : code) + " (HTTP " + service.statusCode()
                    + ")";
            if (isRetryable(service, code)) {
                return new TransientFailureException(message, e);
            }
            return new PermanentFailureException(message, e);
        }
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + cut(e.getMessage()));
        if (e instanceof SdkClientException || e.retryable()) {
            return new TransientFailureException(where + ": " + detail, e);
        }
        return new PermanentFailureException(where + ": " + detail, e);
    }

    private static boolean isRetryable(AwsServiceException e, String code) {
        int status = e.statusCode();
        return e.isThrottlingException() || e.isClockSkewException() || status >= 500 || status == 429
                || (code != null && RETRYABLE_CODES.contains(normalize(code))) || e.retryable();
    }

    /** Classifies a failed entry of a batch request. */
    static EntryFailure classify(BatchResultErrorEntry entry) {
        String code = entry.code() == null ? "" : normalize(entry.code());
        if (isStaleReceipt(code, entry.message())) {
            return EntryFailure.STALE_RECEIPT;
        }
        if (RETRYABLE_CODES.contains(code) || !Boolean.TRUE.equals(entry.senderFault())) {
            return EntryFailure.TRANSIENT;
        }
        return EntryFailure.PERMANENT;
    }

    /**
     * True for the errors SQS gives for a receipt handle that is stale: ElasticMQ's and the query API's
     * {@code ReceiptHandleIsInvalid}, {@code MessageNotInflight}, and AWS's {@code InvalidParameterValue} whose
     * message says the receipt handle has expired or is invalid.
     */
    static boolean isStaleReceipt(String code, String message) {
        String normalized = code == null ? "" : normalize(code);
        if (STALE_RECEIPT_CODES.contains(normalized)) {
            return true;
        }
        if (normalized.equals("InvalidParameterValue") && message != null) {
            String lower = message.toLowerCase(Locale.ROOT);
            return lower.contains("receipt handle") || lower.contains("receipthandle");
        }
        return false;
    }

    /** A failed entry as an exception, for the caller of a batch operation. */
    static FifoActorsException entryFailure(String operation, String queueUrl, String what, BatchResultErrorEntry e,
                                            int attempts) {
        String message = "SQS " + operation + " on " + queueUrl + " failed for " + what + ": " + e.code()
                + (Boolean.TRUE.equals(e.senderFault()) ? " (sender fault)" : " (service fault)")
                + " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
        return classify(e) == EntryFailure.TRANSIENT
                ? new TransientFailureException(message)
                : new PermanentFailureException(message);
    }

    private static String normalize(String code) {
        return code.startsWith(LEGACY_PREFIX) ? code.substring(LEGACY_PREFIX.length()) : code;
    }

    private static String cut(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }
}
