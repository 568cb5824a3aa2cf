package io.fifoactors.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.fifoactors.core");

    @Test
    void coreHasNoAwsCode() {
        assertTrue(core.size() > 20, "expected the core's classes, found " + core.size());
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .because("actor-core is pure: AWS lives in the adapters").check(core);
    }

    @Test
    void coreKnowsNoAdapter() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fifoactors.inmemory..",
                "io.fifoactors.sqs..", "io.fifoactors.dynamodb..", "io.fifoactors.lambda..").check(core);
    }

    @Test
    void coreKnowsNoTracingOrMetricsLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..", "io.micrometer..")
                .because("bindings implement MessageTracing and ConsumerMetrics in their own modules").check(core);
    }

    @Test
    void portsDependOnlyOnTheCoreAndTheJdk() {
        noClasses().that().resideInAPackage("io.fifoactors.core.port..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fifoactors.core.runtime..",
                        "io.fifoactors.core.codec..", "com.fasterxml..")
                .check(core);
    }
}
