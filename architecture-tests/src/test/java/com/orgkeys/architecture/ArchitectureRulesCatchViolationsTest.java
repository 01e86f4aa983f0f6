package com.orgkeys.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** The rule's counterpart that keeps it honest: a class that follows it is not reported. */
    static void assertNotNamed(ArchRule rule, String compliant) {
        String report = rule.evaluate(violations).getFailureReport().toString();
        assertFalse(report.contains(compliant), compliant + " follows the rule but was reported: " + report);
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
    void adapters_reaching_past_the_ports_into_services_are_caught() {
        assertViolated(ArchitectureRules.ADAPTERS_USE_THE_APPLICATION_ONLY_THROUGH_ITS_PORTS, "RoutesUsingAService");
    }

    @Test
    void http_calling_a_repository_port_instead_of_a_use_case_is_caught() {
        assertViolated(ArchitectureRules.HTTP_REACHES_THE_APPLICATION_ONLY_THROUGH_USE_CASES, "RoutesUsingARepositoryPort");
    }

    @Test
    void a_repository_calling_a_use_case_is_caught_but_a_listener_may() {
        assertViolated(ArchitectureRules.ONLY_LISTENERS_IN_PERSISTENCE_DRIVE_THE_APPLICATION, "RepositoryCallingAUseCase");
        assertNotNamed(ArchitectureRules.ONLY_LISTENERS_IN_PERSISTENCE_DRIVE_THE_APPLICATION, "SomeListener");
    }

    @Test
    void an_incoming_port_named_neither_use_case_nor_listener_is_caught() {
        assertViolated(ArchitectureRules.INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS, "CreateThing");
        assertNotNamed(ArchitectureRules.INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS, "DoSomethingUseCase");
        assertNotNamed(ArchitectureRules.INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS, "ThingChangedListener");
    }

    @Test
    void an_http_body_named_neither_request_nor_json_is_caught() {
        assertViolated(ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON, "ThingRoutes$ThingView");
        assertNotNamed(ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON, "ThingRoutes$ThingJson");
        assertNotNamed(ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON, "ThingRoutes$CreateThingRequest");
        assertNotNamed(ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON, "ThingPages$ThingRow");
    }

    @Test
    void a_use_case_implemented_by_anything_but_a_service_is_caught() {
        assertViolated(ArchitectureRules.USE_CASES_ARE_IMPLEMENTED_BY_SERVICES, "application.service.DoSomethingHandler>");
        assertViolated(ArchitectureRules.USE_CASES_ARE_IMPLEMENTED_BY_SERVICES, "violations.http.ShortcutService");
        assertNotNamed(ArchitectureRules.USE_CASES_ARE_IMPLEMENTED_BY_SERVICES, "application.service.SomeService>");
    }

    @Test
    void a_repository_interface_outside_the_outgoing_ports_is_caught() {
        assertViolated(ArchitectureRules.REPOSITORY_PORTS_ARE_OUTGOING_PORTS, "HelperRepository");
    }

    @Test
    void a_repository_adapter_not_named_jdbc_repository_is_caught() {
        assertViolated(ArchitectureRules.REPOSITORIES_ARE_IMPLEMENTED_IN_JDBC_BY_THE_PERSISTENCE_ADAPTER, "ThingStore");
    }

    @Test
    void a_layer_without_classes_fails_the_layers_rule_instead_of_passing_vacuously() {
        JavaClasses withoutHttp = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/violations/http/"))
                .importPackages("com.orgkeys.violations");
        EvaluationResult result = ArchitectureRules.LAYERS_ARE_RESPECTED.evaluate(withoutHttp);
        assertTrue(result.getFailureReport().toString().contains("Layer 'http adapter' is empty"),
                "an empty layer should fail the rule: " + result.getFailureReport());
    }

    @Test
    void rules_fail_on_an_empty_import_instead_of_passing_vacuously() {
        JavaClasses nothing = new ClassFileImporter().importPackages("com.orgkeys.no_such_package");
        for (ArchRule rule : ALL_RULES) {
            assertThrows(AssertionError.class, () -> rule.check(nothing), "passed on no classes: " + rule.getDescription());
        }
    }

    static final List<ArchRule> ALL_RULES = List.of(
            ArchitectureRules.LAYERS_ARE_RESPECTED,
            ArchitectureRules.DOMAIN_USES_ONLY_THE_JDK,
            ArchitectureRules.APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK,
            ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER,
            ArchitectureRules.PERSISTENCE_DOES_NOT_DEPEND_ON_OTHER_ADAPTERS,
            ArchitectureRules.ONLY_BOOTSTRAP_WIRES,
            ArchitectureRules.ADAPTERS_USE_THE_APPLICATION_ONLY_THROUGH_ITS_PORTS,
            ArchitectureRules.HTTP_REACHES_THE_APPLICATION_ONLY_THROUGH_USE_CASES,
            ArchitectureRules.ONLY_LISTENERS_IN_PERSISTENCE_DRIVE_THE_APPLICATION,
            ArchitectureRules.INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS,
            ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON,
            ArchitectureRules.USE_CASES_ARE_IMPLEMENTED_BY_SERVICES,
            ArchitectureRules.REPOSITORY_PORTS_ARE_OUTGOING_PORTS,
            ArchitectureRules.REPOSITORIES_ARE_IMPLEMENTED_IN_JDBC_BY_THE_PERSISTENCE_ADAPTER);
}
