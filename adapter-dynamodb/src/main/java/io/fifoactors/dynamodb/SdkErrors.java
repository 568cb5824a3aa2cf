package io.fifoactors.dynamodb;

import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.util.Set;

/**
 * Maps AWS SDK failures to the library's exceptions: retryable ones (throttling, 5xx, client-side I/O and timeouts)
 * to {@link TransientFailureException}, the rest to {@link PermanentFailureException}. Messages carry the operation,
 * table, actor, error code, HTTP status and request id, and the service's own short message (DynamoDB's messages
 * name attributes, never binary values); never state bytes. Stateless.
 */
final class SdkErrors {
    /** Error codes that say "try again later" even when the status is 4xx. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "ProvisionedThroughputExceededException",
            "RequestLimitExceeded",
            "ThrottlingException",
            "Throttling",
            "ThrottledException",
            "LimitExceededException",
            "TransactionConflictException",
            "TransactionInProgressException",
            "ReplicatedWriteConflictException",
            "InternalServerError",
            "InternalFailure",
            "ServiceUnavailable",
            "RequestTimeout",
            "RequestTimeoutException",
            "RequestExpired");

    private static final int MAX_SERVICE_MESSAGE = 300;

    private SdkErrors() {
    }

    /** The error code the service sent, or null. */
    static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws) {
            AwsErrorDetails d = aws.awsErrorDetails();
            return d == null ? null : d.errorCode();
        }
        return null;
    }

    /** The service's message, or null. */
    static String serviceMessage(SdkServiceException e) {
        if (e instanceof AwsServiceException aws) {
            AwsErrorDetails d = aws.awsErrorDetails();
            return d == null ? null : d.errorMessage();
        }
        return null;
    }

    static boolean isTransient(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof SdkServiceException s) {
            String code = errorCode(s);
            return s.statusCode() >= 500 || s.isThrottlingException() || s.isClockSkewException()
                    || (code != null && TRANSIENT_CODES.contains(code));
        }
        // Any other SdkException (e.g. a marshalling problem) will not pass by itself.
        return false;
    }

    /**
     * The library exception for an SDK failure of {@code what} (e.g. "GetItem on table actors for account/a-1").
     */
    static FifoActorsException map(String what, SdkException e) {
        String message = "DynamoDB " + what + " failed: " + describe(e);
        return isTransient(e) ? new TransientFailureException(message, e) : new PermanentFailureException(message, e);
    }

    /** Error code, status, request id and a bounded service message; for a client-side error its type and message. */
    static String describe(SdkException e) {
        if (e instanceof SdkServiceException s) {
            StringBuilder b = new StringBuilder();
            String code = errorCode(s);
            b.append(code != null ? code : s.getClass().getSimpleName());
            b.append(" (HTTP ").append(s.statusCode());
            if (s.requestId() != null) {
                b.append(", request id ").append(s.requestId());
            }
            b.append(')');
            String msg = serviceMessage(s);
            if (msg != null && !msg.isBlank()) {
                b.append(": ").append(bounded(msg));
            }
            return b.toString();
        }
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + bounded(msg));
    }

    private static String bounded(String s) {
        return s.length() <= MAX_SERVICE_MESSAGE ? s : s.substring(0, MAX_SERVICE_MESSAGE) + "...";
    }
}
