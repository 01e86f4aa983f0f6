package com.orgkeys.violations.domain;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks "domain uses only the JDK" (and the onion layers): a domain class that knows Jackson. */
public class DomainUsingJackson {
    public ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
