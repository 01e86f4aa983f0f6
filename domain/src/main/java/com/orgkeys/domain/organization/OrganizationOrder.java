package com.orgkeys.domain.organization;

/** The orders an instance-wide list of organizations comes in (the backend API's {@code order_by}). */
public enum OrganizationOrder {
    NEWEST_FIRST, OLDEST_FIRST, NAME, NAME_DESCENDING
}
