package com.orgkeys.application.contract;

import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the contract tests: each test gets a fresh, empty set of repositories from the implementation
 * under test. Test methods are public so that subclasses in other packages inherit them.
 */
public abstract class RepositoryContract {
    protected Repositories repositories;
    Fixtures given;

    /** A fresh, empty set of repositories (the in-memory fakes, or JDBC over a new database). */
    protected abstract Repositories newRepositories();

    @BeforeEach
    final void freshRepositories() {
        repositories = newRepositories();
        given = new Fixtures(repositories);
    }
}
