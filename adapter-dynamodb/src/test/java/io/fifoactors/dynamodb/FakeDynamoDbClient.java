package io.fifoactors.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A hand-written DynamoDbClient for unit tests: records every request and answers with a scripted function (which
 * may throw). Operations without a script fail loudly. Not thread-safe.
 */
final class FakeDynamoDbClient implements DynamoDbClient {
    final List<Object> requests = new ArrayList<>();
    Function<GetItemRequest, GetItemResponse> onGetItem = r -> unscripted("GetItem");
    Function<PutItemRequest, PutItemResponse> onPutItem = r -> unscripted("PutItem");
    Function<BatchGetItemRequest, BatchGetItemResponse> onBatchGetItem = r -> unscripted("BatchGetItem");
    Function<DescribeTableRequest, DescribeTableResponse> onDescribeTable = r -> unscripted("DescribeTable");
    Function<CreateTableRequest, CreateTableResponse> onCreateTable = r -> unscripted("CreateTable");
    Function<DeleteTableRequest, DeleteTableResponse> onDeleteTable = r -> unscripted("DeleteTable");
    Function<DescribeTimeToLiveRequest, DescribeTimeToLiveResponse> onDescribeTimeToLive =
            r -> unscripted("DescribeTimeToLive");
    Function<UpdateTimeToLiveRequest, UpdateTimeToLiveResponse> onUpdateTimeToLive =
            r -> unscripted("UpdateTimeToLive");
    Function<UpdateTableRequest, UpdateTableResponse> onUpdateTable = r -> unscripted("UpdateTable");
    Function<ScanRequest, ScanResponse> onScan = r -> unscripted("Scan");
    boolean closed;

    private static <T> T unscripted(String op) {
        throw new AssertionError("unexpected " + op + " call");
    }

    <T> List<T> requestsOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object r : requests) {
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        requests.add(request);
        return onGetItem.apply(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        requests.add(request);
        return onPutItem.apply(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        requests.add(request);
        return onBatchGetItem.apply(request);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        requests.add(request);
        return onDescribeTable.apply(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        requests.add(request);
        return onCreateTable.apply(request);
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest request) {
        requests.add(request);
        return onDeleteTable.apply(request);
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
        requests.add(request);
        return onDescribeTimeToLive.apply(request);
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
        requests.add(request);
        return onUpdateTimeToLive.apply(request);
    }

    @Override
    public UpdateTableResponse updateTable(UpdateTableRequest request) {
        requests.add(request);
        return onUpdateTable.apply(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        requests.add(request);
        return onScan.apply(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        closed = true;
    }
}
