package com.orgkeys.violations.http;

/** Breaks "HTTP bodies are …Request or …Json": an answer body named …View; the other two follow the rule. */
public class ThingRoutes {
    record CreateThingRequest(String name) {
    }

    record ThingJson(String id, String name) {
    }

    record ThingView(String id, String name) {
    }
}
