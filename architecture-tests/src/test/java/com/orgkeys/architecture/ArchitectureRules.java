package com.orgkeys.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/** The boundaries of the hexagon, as ArchUnit rules over package names. */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /*
     * layeredArchitecture rather than onionArchitecture: the onion always declares a "domain services" layer, which
     * this code does not have (behaviour lives on the aggregates), so it passes only with every layer optional, and
     * then a renamed package would leave its layer empty and its rules silently vacuous. Here every layer must
     * hold classes, and the composition root is a layer of its own instead of an ignored dependency.
     */
    static final ArchRule LAYERS_ARE_RESPECTED = layeredArchitecture()
            .consideringAllDependencies()
            .layer("domain").definedBy("..domain..")
            .layer("application").definedBy("..application..")
            .layer("http adapter").definedBy("..http..")
            .layer("persistence adapter").definedBy("..persistence..")
            .layer("composition root").definedBy("..bootstrap..")
            .whereLayer("composition root").mayNotBeAccessedByAnyLayer()
            .whereLayer("http adapter").mayOnlyBeAccessedByLayers("composition root")
            .whereLayer("persistence adapter").mayOnlyBeAccessedByLayers("composition root")
            .whereLayer("application").mayOnlyBeAccessedByLayers("http adapter", "persistence adapter",
                    "composition root")
            .whereLayer("domain").mayOnlyBeAccessedByLayers("application", "http adapter", "persistence adapter",
                    "composition root")
            .withOptionalLayers(false)
            .because("the domain and the use cases must not know how they are reached or stored");

    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideOutsideOfPackages("..domain..", "java..", "javax.crypto..")
            .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..")
            .because("the domain model is plain Java (the JDK's cryptography included: TOTP's HMAC)");

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
            .should().dependOnClassesThat(resideInAnyPackage("..http..", "..bootstrap..", "com.sun.net.httpserver..")
                    .and(not(resideInAPackage("java.net.http.."))))
            .because("adapters only meet in the composition root (the JDK's HTTP client is a library the webhook sender "
                    + "uses, as the mailer uses SMTP's, not the HTTP adapter)");

    static final ArchRule ONLY_BOOTSTRAP_WIRES = noClasses().that().resideOutsideOfPackage("..bootstrap..")
            .should().dependOnClassesThat().resideInAPackage("..bootstrap..")
            .because("bootstrap is the one composition root; nothing may look things up from it");

    static final ArchRule ADAPTERS_USE_THE_APPLICATION_ONLY_THROUGH_ITS_PORTS = noClasses().that()
            .resideInAnyPackage("..http..", "..persistence..")
            .should().dependOnClassesThat(resideInAPackage("..application..")
                    .and(not(resideInAnyPackage("..application..port.in..", "..application..port.out.."))))
            .because("services and their helpers are the inside of the hexagon: an adapter reaches them through a "
                    + "use case (port.in) or implements what they need (port.out); only the composition root sees them");

    static final ArchRule HTTP_REACHES_THE_APPLICATION_ONLY_THROUGH_USE_CASES = noClasses().that()
            .resideInAPackage("..http..")
            .should().dependOnClassesThat().resideInAPackage("..application..port.out..")
            .because("a route that called a repository port itself would skip the authorization every use case checks");

    static final ArchRule ONLY_LISTENERS_IN_PERSISTENCE_DRIVE_THE_APPLICATION = noClasses().that()
            .resideInAPackage("..persistence..").and().resideOutsideOfPackage("..persistence..listener..")
            .should().dependOnClassesThat().resideInAPackage("..application..port.in..")
            .because("repositories are driven by the use cases; what the database tells the application "
                    + "(LISTEN/NOTIFY) comes through a listener package, which says so");

    static final ArchRule INCOMING_PORTS_ARE_USE_CASES_OR_LISTENERS = classes().that()
            .resideInAPackage("..application..port.in..").and().areInterfaces().and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("UseCase").orShould().haveSimpleNameEndingWith("Listener")
            .because("CONVENTIONS.md section 3: a use case is named VerbNounUseCase (or ManageNounsUseCase); the one "
                    + "other kind of incoming port is a callback the persistence adapter's listener feeds, named …Listener");

    static final ArchRule HTTP_BODIES_ARE_NAMED_REQUEST_OR_JSON = classes().that().areRecords()
            .and().resideInAPackage("..http..").and().resideOutsideOfPackages("..http.server..", "..http.dashboard..")
            .should().haveSimpleNameEndingWith("Request").orShould().haveSimpleNameEndingWith("Json")
            .because("a record the routes give to Jackson is a request body (…Request) or an answer body (…Json); "
                    + "the dashboard's page models and the server's own records (Problem…) are not API bodies");

    static final ArchRule USE_CASES_ARE_IMPLEMENTED_BY_SERVICES = classes().that()
            .implement(simpleNameEndingWith("UseCase")).and().areNotInterfaces()
            .should().haveSimpleNameEndingWith("Service")
            .andShould().resideInAPackage("..application..service..")
            .because("CONVENTIONS.md section 3: a VerbNounUseCase is implemented by a VerbNounService in the service package");

    static final ArchRule REPOSITORY_PORTS_ARE_OUTGOING_PORTS = classes().that()
            .haveSimpleNameEndingWith("Repository").and().areInterfaces()
            .should().resideInAPackage("..application..port.out..")
            .because("CONVENTIONS.md section 3: one repository port per aggregate, owned by the application");

    static final ArchRule REPOSITORIES_ARE_IMPLEMENTED_IN_JDBC_BY_THE_PERSISTENCE_ADAPTER = classes().that()
            // our ports only: a library's interface of that name (Yubico's CredentialRepository) is no repository port
            .implement(simpleNameEndingWith("Repository").and(resideInAPackage("com.orgkeys..")))
            .and().areNotInterfaces()
            .should().resideInAPackage("..persistence..")
            .andShould().haveSimpleNameStartingWith("Jdbc")
            .andShould().haveSimpleNameEndingWith("Repository")
            .because("CONVENTIONS.md section 1: the persistence adapter implements XRepository as JdbcXRepository");
}
