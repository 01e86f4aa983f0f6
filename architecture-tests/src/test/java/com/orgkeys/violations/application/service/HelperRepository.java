package com.orgkeys.violations.application.service;

/** Breaks "repository ports are outgoing ports": a repository interface hidden among the services. */
public interface HelperRepository {
    Object load();
}
