package com.orgkeys.application.contract;

import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.testing.InMemoryAccountThrottleStore;

class InMemoryAccountThrottleContractTest extends AccountThrottleContract {
    private InMemoryAccountThrottleStore store;

    @Override
    protected AccountThrottleStore newStore() {
        store = new InMemoryAccountThrottleStore();
        return store;
    }

    @Override
    protected int storedEntries() {
        return store.size();
    }
}
