package com.orgkeys.domain.passkey;

import com.orgkeys.domain.shared.Text;

/** What the user calls a passkey ("work laptop"), so that they can tell their passkeys apart. */
public record PasskeyName(String value) {
    public static final int MAX_LENGTH = 60;

    public PasskeyName {
        value = Text.singleLine("name", value, MAX_LENGTH);
    }
}
