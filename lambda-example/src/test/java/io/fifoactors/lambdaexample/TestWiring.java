package io.fifoactors.lambdaexample;

import io.fifoactors.core.runtime.ActorSystem;

/**
 * The example's wiring plus the test actors ({@link TestActors}): named by FA_WIRING in tests that copy both into a
 * task root beside the packaged function.
 */
public final class TestWiring extends ExampleWiring {
    public TestWiring() {
    }

    @Override
    protected void registerActors(ActorSystem.Builder system) {
        super.registerActors(system);
        system.register(TestActors.ACCOUNT).register(TestActors.FAULTY);
    }
}
