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
}
