package io.fifoactors.cli;

import io.fifoactors.core.FifoActorsException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** One line for an error: the library's own message, or an AWS error code and status; never a payload. Stateless. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable e) {
        if (e instanceof FifoActorsException || e instanceof CliFailure) {
            return oneLine(e.getMessage());
        }
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            String service = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().serviceName();
            return (service == null ? "AWS" : service) + " refused the request: "
                    + (code == null ? aws.getClass().getSimpleName() : code) + " (HTTP " + aws.statusCode() + ")"
                    + (aws.requestId() == null ? "" : ", request id " + aws.requestId());
        }
        if (e instanceof SdkClientException) {
            return "could not reach AWS: " + oneLine(e.getMessage());
        }
        if (e instanceof SdkException) {
            return "AWS SDK: " + e.getClass().getSimpleName();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String line = s.replace('\r', ' ').replace('\n', ' ');
        return line.length() > 600 ? line.substring(0, 600) + "..." : line;
    }
}
