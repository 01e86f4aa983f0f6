package com.orgkeys.application.mail.port.out;

import com.orgkeys.domain.account.Email;

/** A message orgkeys sends by mail: what it says, not how it looks (the mail adapter renders it). */
public sealed interface Mail permits InvitationMail, PasswordResetMail, EmailVerificationMail,
        PasswordChangedMail, SignInMail, EmailChangeMail, EmailChangedMail, TwoFactorChangedMail, ApiKeyLeakedMail,
        WebhookEndpointDisabledMail {
    Email to();
}
