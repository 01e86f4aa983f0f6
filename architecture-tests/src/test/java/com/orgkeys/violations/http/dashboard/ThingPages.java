package com.orgkeys.violations.http.dashboard;

/** Allowed: a dashboard page model is a template's model, not a JSON body. */
public class ThingPages {
    record ThingRow(String id, String name) {
    }
}
