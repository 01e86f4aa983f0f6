package com.orgkeys.application.contract;

import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.application.testing.InMemorySecretKeyRepository;

class InMemorySecretKeyRepositoryContractTest extends SecretKeyRepositoryContract {
    @Override
    protected SecretKeyRepository newRepository() {
        return new InMemorySecretKeyRepository();
    }
}
