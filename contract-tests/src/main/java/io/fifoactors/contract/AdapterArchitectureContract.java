package io.fifoactors.contract;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture rules every adapter obeys, checked on its compiled classes: it depends on no other adapter, and
 * its public API shows no AWS SDK type except where it takes an injected client.
 */
public abstract class AdapterArchitectureContract {
    /** Every adapter's root package. */
    public static final List<String> ADAPTER_PACKAGES = List.of(
            "io.fifoactors.inmemory", "io.fifoactors.sqs", "io.fifoactors.dynamodb", "io.fifoactors.lambda");

    private static final List<String> SDK_PREFIXES = List.of("software.amazon.", "com.amazonaws.");

    /** This adapter's root package, one of {@link #ADAPTER_PACKAGES}. */
    protected abstract String adapterPackage();

    /**
     * SDK packages this adapter's public API must expose by nature (the Lambda handler's event types); empty for
     * the others.
     */
    protected Set<String> inherentPublicSdkPackages() {
        return Set.of();
    }

    private JavaClasses classes() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(adapterPackage());
    }

    @Test
    void theAdapterHasClasses() {
        assertTrue(classes().size() > 0, "no classes found in " + adapterPackage());
        assertTrue(ADAPTER_PACKAGES.contains(adapterPackage()), adapterPackage() + " is not a known adapter package");
    }

    @Test
    void dependsOnNoOtherAdapter() {
        for (String other : ADAPTER_PACKAGES) {
            if (!other.equals(adapterPackage())) {
                noClasses().that().resideInAPackage(adapterPackage() + "..")
                        .should().dependOnClassesThat().resideInAPackage(other + "..")
                        .because("adapters plug into the core's ports and never into each other")
                        .check(classes());
            }
        }
    }

    @Test
    void publicApiShowsNoSdkTypeButInjectedClients() {
        List<String> leaks = new ArrayList<>();
        for (JavaClass c : classes()) {
            if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (!unit.getModifiers().contains(JavaModifier.PUBLIC)) {
                    continue;
                }
                boolean clientSetter = unit.getName().equals("client") && c.getSimpleName().equals("Builder");
                List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
                types.add(unit.getRawReturnType());
                for (JavaClass t : types) {
                    if (isSdk(t.getName()) && !clientSetter && !inherent(t.getName())) {
                        leaks.add(c.getName() + "." + unit.getName() + " uses " + t.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "SDK types leak out of " + adapterPackage());
    }

    private boolean inherent(String name) {
        return inherentPublicSdkPackages().stream().anyMatch(name::startsWith);
    }

    private static boolean isSdk(String name) {
        return SDK_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
