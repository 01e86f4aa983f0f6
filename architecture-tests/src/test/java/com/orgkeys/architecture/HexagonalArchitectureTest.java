package com.orgkeys.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rules over the real production classes of every module. */
@AnalyzeClasses(packages = "com.orgkeys", importOptions = ImportOption.DoNotIncludeTests.class)
class HexagonalArchitectureTest {
    @ArchTest
    static final ArchRule layers_are_respected = ArchitectureRules.LAYERS_ARE_RESPECTED;
    @ArchTest
    static final ArchRule domain_uses_only_the_jdk = ArchitectureRules.DOMAIN_USES_ONLY_THE_JDK;
    @ArchTest
    static final ArchRule application_uses_only_the_domain_and_the_jdk =
            ArchitectureRules.APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK;
    @ArchTest
    static final ArchRule http_adapter_does_not_depend_on_other_adapters =
            ArchitectureRules.ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER;
    @ArchTest
    static final ArchRule persistence_adapter_does_not_depend_on_other_adapters =
            ArchitectureRules.PERSISTENCE_DOES_NOT_DEPEND_ON_OTHER_ADAPTERS;
    @ArchTest
    static final ArchRule only_bootstrap_wires = ArchitectureRules.ONLY_BOOTSTRAP_WIRES;
    @ArchTest
    static final ArchRule adapters_use_the_application_only_through_its_ports =
            ArchitectureRules.ADAPTERS_USE_THE_APPLICATION_ONLY_THROUGH_ITS_PORTS;
    @ArchTest
    static final ArchRule http_reaches_the_application_only_through_use_cases =
            ArchitectureRules.HTTP_REACHES_THE_APPLICATION_ONLY_THROUGH_USE_CASES;
    @ArchTest
    static final ArchRule only_listeners_in_persistence_drive_the_application =
            ArchitectureRules.ONLY_LISTENERS_IN_PERSISTENCE_DRIVE_THE_APPLICATION;
    @ArchTest
    static final ArchRule incoming_ports_are_use_cases_or_listeners = ArchitectureRules.INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS;
    @ArchTest
    static final ArchRule http_bodies_are_named_request_or_json = ArchitectureRules.HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON;
    @ArchTest
    static final ArchRule use_cases_are_implemented_by_services = ArchitectureRules.USE_CASES_ARE_IMPLEMENTED_BY_SERVICES;
    @ArchTest
    static final ArchRule repository_ports_are_outgoing_ports = ArchitectureRules.REPOSITORY_PORTS_ARE_OUTGOING_PORTS;
    @ArchTest
    static final ArchRule repositories_are_implemented_in_jdbc_by_the_persistence_adapter =
            ArchitectureRules.REPOSITORIES_ARE_IMPLEMENTED_IN_JDBC_BY_THE_PERSISTENCE_ADAPTER;
}
