package io.fifoactors.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteQueueResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesResponse;

import java.util.ArrayList;
import java.util.List;

/** Passes the provisioner's calls to a real client and records CreateQueue and SetQueueAttributes requests. */
final class RecordingSqsClient implements SqsClient {
    private final SqsClient delegate;
    final List<CreateQueueRequest> creates = new ArrayList<>();
    final List<SetQueueAttributesRequest> sets = new ArrayList<>();

    RecordingSqsClient(SqsClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public CreateQueueResponse createQueue(CreateQueueRequest r) {
        creates.add(r);
        return delegate.createQueue(r);
    }

    @Override
    public SetQueueAttributesResponse setQueueAttributes(SetQueueAttributesRequest r) {
        sets.add(r);
        return delegate.setQueueAttributes(r);
    }

    @Override
    public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest r) {
        return delegate.getQueueUrl(r);
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest r) {
        return delegate.getQueueAttributes(r);
    }

    @Override
    public DeleteQueueResponse deleteQueue(DeleteQueueRequest r) {
        return delegate.deleteQueue(r);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
