package com.orgkeys.http.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpApiTest {
    @Test
    void a_server_bound_but_never_started_closes_at_once_instead_of_waiting_out_the_grace_period() {
        HttpApi bound = HttpApi.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new Router(Json.newMapper(), Router.DEFAULT_MAX_BODY_BYTES), Duration.ofSeconds(10));
        long started = System.nanoTime();
        bound.close(); // what a start that fails after binding (e.g. the database) does
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 5_000, "closed in " + millis + " ms");
    }
}
