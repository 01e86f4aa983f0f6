package com.orgkeys.application.secretkey.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.account.service.CurrentPassword;
import com.orgkeys.application.secretkey.port.in.AdministerSecretKeysUseCase;
import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase;
import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase.CreatedSecretKey;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.secretkey.InstanceAdmins;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.util.ArrayList;
import java.util.List;

/** {@link AdministerSecretKeysUseCase} over the operators' own {@link ManageSecretKeysUseCase}, as {@code user:<id>}. */
public final class SecretKeyAdminService implements AdministerSecretKeysUseCase {
    private final InstanceAdmins admins;
    private final UserRepository users;
    private final ManageSecretKeysUseCase keys;
    private final AccountThrottle throttle;
    private final PasswordHasher hasher;

    public SecretKeyAdminService(InstanceAdmins admins, UserRepository users, ManageSecretKeysUseCase keys,
                                 AccountThrottle throttle, PasswordHasher hasher) {
        this.admins = admins;
        this.users = users;
        this.keys = keys;
        this.throttle = throttle;
        this.hasher = hasher;
    }

    @Override
    public boolean isInstanceAdmin(User user) {
        return admins.admits(user);
    }

    @Override
    public List<SecretKey> list(UserCaller caller) {
        admin(caller);
        return keys.listSecretKeys();
    }

    @Override
    public CreatedSecretKey create(UserCaller caller, String name, String currentPassword) {
        User admin = admin(caller);
        String current = CurrentPassword.of(currentPassword);
        List<FieldError> errors = new ArrayList<>();
        CurrentPassword.checkLength(current, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        CurrentPassword.verify(admin, current, caller.clientAddress(), throttle, hasher);
        return keys.createSecretKey(operator(admin), name);
    }

    @Override
    public SecretKey revoke(UserCaller caller, SecretKeyId id) {
        return keys.revokeSecretKey(operator(admin(caller)), id);
    }

    /** The caller as an administrator (read now: a verification or ADMIN_EMAILS change counts at once), else 404. */
    private User admin(UserCaller caller) {
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        if (!admins.admits(user)) throw new NotFoundException("No such page.");
        return user;
    }

    private static String operator(User admin) {
        return "user:" + admin.id();
    }
}
