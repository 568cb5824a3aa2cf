package io.fifoactors.sqswire;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire rules are pure: no SDK, no adapter, so the SQS adapter and the Lambda handler can share them. */
class SqsWireArchitectureTest {
    @Test
    void dependsOnNoSdkAndNoAdapter() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fifoactors.sqswire");
        assertTrue(classes.size() >= 6, "found " + classes.size());
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..",
                "io.fifoactors.sqs..", "io.fifoactors.lambda..", "io.fifoactors.inmemory..",
                "io.fifoactors.dynamodb..").check(classes);
    }
}
