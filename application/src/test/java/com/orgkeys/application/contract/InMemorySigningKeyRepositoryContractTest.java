package com.orgkeys.application.contract;

import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.application.testing.InMemorySigningKeyRepository;

class InMemorySigningKeyRepositoryContractTest extends SigningKeyRepositoryContract {
    @Override
    protected SigningKeyRepository newRepository() {
        return new InMemorySigningKeyRepository();
    }
}
