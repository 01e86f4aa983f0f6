package com.orgkeys.application.secretkey.port.in;

import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase.CreatedSecretKey;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.List;

/**
 * Backend secret keys from the dashboard, for the instance's administrators only ({@code InstanceAdmins}); anyone else
 * is told there is no such thing (404), so the page reveals nothing. A secret key acts in every organization, so
 * creating one asks for the current password: a stolen session must not mint a credential that outlives it.
 */
public interface AdministerSecretKeysUseCase {
    /** For showing the way to the page; every other method checks for itself. */
    boolean isInstanceAdmin(User user);

    /** Every key, newest first, revoked ones included. */
    List<SecretKey> list(UserCaller caller);

    CreatedSecretKey create(UserCaller caller, String name, String currentPassword);

    /** Again: no change. */
    SecretKey revoke(UserCaller caller, SecretKeyId id);
}
