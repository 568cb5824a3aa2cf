package io.fifoactors.lambda;

import io.fifoactors.contract.AdapterArchitectureContract;

import java.util.Set;

class LambdaArchitectureTest extends AdapterArchitectureContract {
    @Override
    protected String adapterPackage() {
        return "io.fifoactors.lambda";
    }

    /** A Lambda handler's contract is the Lambda runtime's event and context types; no SDK client type may leak. */
    @Override
    protected Set<String> inherentPublicSdkPackages() {
        return Set.of("com.amazonaws.services.lambda.runtime.");
    }
}
