package com.orgkeys.persistence.webhook;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.webhook.port.out.WebhookSecretSealer;
import com.orgkeys.application.webhook.service.ServerKeyWebhookSecrets;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secret.JdbcServerSecrets;
import com.orgkeys.persistence.twofactor.AesGcmSecretCipher;

import java.time.Clock;

/** The sealer the application wires: the database's server secrets (made on first use) and AES-GCM. */
public final class WebhookSecretsOnPostgres {
    private WebhookSecretsOnPostgres() {
    }

    public static WebhookSecretSealer sealer(Jdbc jdbc) {
        return new ServerKeyWebhookSecrets(new ServerSecretService(new JdbcServerSecrets(jdbc), jdbc, Clock.systemUTC()),
                new AesGcmSecretCipher());
    }

    public static JdbcWebhookEndpointRepository endpoints(Jdbc jdbc) {
        return new JdbcWebhookEndpointRepository(jdbc, sealer(jdbc));
    }
}
