package io.fifoactors.sqs;

import io.fifoactors.contract.AdapterArchitectureContract;

class SqsArchitectureTest extends AdapterArchitectureContract {
    @Override
    protected String adapterPackage() {
        return "io.fifoactors.sqs";
    }
}
