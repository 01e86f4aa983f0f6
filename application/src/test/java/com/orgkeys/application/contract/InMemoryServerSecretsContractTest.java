package com.orgkeys.application.contract;

import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.application.testing.InMemoryServerSecrets;

class InMemoryServerSecretsContractTest extends ServerSecretsContract {
    @Override
    protected ServerSecrets newSecrets() {
        return new InMemoryServerSecrets();
    }
}
