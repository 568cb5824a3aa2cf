package io.fifoactors.inmemory;

import io.fifoactors.contract.AdapterArchitectureContract;

class InMemoryArchitectureTest extends AdapterArchitectureContract {
    @Override
    protected String adapterPackage() {
        return "io.fifoactors.inmemory";
    }
}
