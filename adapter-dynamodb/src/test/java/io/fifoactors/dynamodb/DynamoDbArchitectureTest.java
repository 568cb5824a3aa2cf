package io.fifoactors.dynamodb;

import io.fifoactors.contract.AdapterArchitectureContract;

class DynamoDbArchitectureTest extends AdapterArchitectureContract {
    @Override
    protected String adapterPackage() {
        return "io.fifoactors.dynamodb";
    }
}
