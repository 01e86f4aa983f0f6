package com.orgkeys.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rule that cannot fail protects nothing. The classes under {@code com.orgkeys.violations} each break one
 * rule on purpose; every rule must report its violation, naming the offending class.
 */
class ArchitectureRulesCatchViolationsTest {
    static final JavaClasses violations = new ClassFileImporter().importPackages("com.orgkeys.violations");

    static void assertViolated(ArchRule rule, String offender) {
        EvaluationResult result = rule.evaluate(violations);
        assertTrue(result.hasViolation(), "rule did not fire: " + rule.getDescription());
        assertTrue(result.getFailureReport().toString().contains(offender),
                "violation should name " + offender + ": " + result.getFailureReport());
    }

    @Test
    void domain_depending_on_a_library_is_caught() {
        assertViolated(ArchitectureRules.DOMAIN_USES_ONLY_THE_JDK, "DomainUsingJackson");
    }

    @Test
    void application_depending_on_jdbc_or_the_http_server_is_caught() {
        assertViolated(ArchitectureRules.APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK, "ServiceUsingHttpServer");
        assertViolated(ArchitectureRules.APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK, "ServiceUsingJdbc");
    }

    @Test
    void application_calling_an_adapter_breaks_the_layers() {
        assertViolated(ArchitectureRules.LAYERS_ARE_RESPECTED, "ServiceUsingAdapter");
    }

    @Test
    void http_calling_persistence_is_caught() {
        assertViolated(ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER, "RoutesUsingPersistence");
    }

    @Test
    void persistence_calling_http_is_caught() {
        assertViolated(ArchitectureRules.PERSISTENCE_DOES_NOT_DEPEND_ON_OTHER_ADAPTERS, "SomeRepository");
    }

    @Test
    void reaching_into_the_composition_root_is_caught() {
        assertViolated(ArchitectureRules.ONLY_BOOTSTRAP_WIRES, "SomeRoutes");
    }

    @Test
    void rules_fail_on_an_empty_import_instead_of_passing_vacuously() {
        JavaClasses nothing = new ClassFileImporter().importPackages("com.orgkeys.no_such_package");
        assertThrows(AssertionError.class, () -> ArchitectureRules.DOMAIN_USES_ONLY_THE_JDK.check(nothing));
    }
}
