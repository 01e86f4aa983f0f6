package com.orgkeys.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;

/** The boundaries of the hexagon, as ArchUnit rules over package names. */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    static final ArchRule LAYERS_ARE_RESPECTED = onionArchitecture()
            .domainModels("..domain..")
            .applicationServices("..application..")
            .adapter("http", "..http..")
            .adapter("persistence", "..persistence..")
            // no "domain services" layer here: behaviour lives on the aggregates
            .withOptionalLayers(true)
            // the composition root may use every layer: wiring them together is its job
            .ignoreDependency(resideInAPackage("..bootstrap.."), DescribedPredicate.alwaysTrue())
            .because("the domain and the use cases must not know how they are reached or stored");

    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideOutsideOfPackages("..domain..", "java..")
            .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..")
            .because("the domain model is plain Java");

    static final ArchRule APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK = noClasses().that()
            .resideInAPackage("..application..")
            .should().dependOnClassesThat()
            .resideOutsideOfPackages("..application..", "..domain..", "java..")
            .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..")
            .because("use cases talk to the outside world only through their ports (no JDBC, Jackson, HTTP server)");

    static final ArchRule ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER = noClasses().that().resideInAPackage("..http..")
            .should().dependOnClassesThat().resideInAPackage("..persistence..")
            .orShould().dependOnClassesThat().resideInAPackage("..bootstrap..")
            .because("adapters only meet in the composition root");

    static final ArchRule PERSISTENCE_DOES_NOT_DEPEND_ON_OTHER_ADAPTERS = noClasses().that()
            .resideInAPackage("..persistence..")
            .should().dependOnClassesThat().resideInAnyPackage("..http..", "..bootstrap..", "com.sun.net.httpserver..")
            .because("adapters only meet in the composition root");

    static final ArchRule ONLY_BOOTSTRAP_WIRES = noClasses().that().resideOutsideOfPackage("..bootstrap..")
            .should().dependOnClassesThat().resideInAPackage("..bootstrap..")
            .because("bootstrap is the one composition root; nothing may look things up from it");
}
