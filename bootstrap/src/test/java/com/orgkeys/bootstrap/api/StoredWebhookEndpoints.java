package com.orgkeys.bootstrap.api;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.webhook.service.ServerKeyWebhookSecrets;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secret.JdbcServerSecrets;
import com.orgkeys.persistence.twofactor.AesGcmSecretCipher;
import com.orgkeys.persistence.webhook.JdbcWebhookEndpointRepository;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Writes a webhook endpoint straight into a test server's database, its secret sealed with that database's server
 * secret as the server seals it: for a receiver on loopback, which the server's own API refuses as a URL.
 */
final class StoredWebhookEndpoints {
    private StoredWebhookEndpoints() {
    }

    static WebhookEndpoint add(DataSource database, WebhookEndpoint endpoint) {
        Jdbc jdbc = new Jdbc(database);
        new JdbcWebhookEndpointRepository(jdbc, new ServerKeyWebhookSecrets(
                new ServerSecretService(new JdbcServerSecrets(jdbc), jdbc, Clock.systemUTC()), new AesGcmSecretCipher()))
                .add(endpoint);
        return endpoint;
    }
}
