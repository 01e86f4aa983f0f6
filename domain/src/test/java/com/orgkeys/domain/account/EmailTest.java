package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmailTest {

    @Test
    void an_address_to_store_is_a_plain_mailbox_normalized_to_lower_case() {
        assertEquals("ada.lovelace+keys@example.co.uk", Email.parse("  Ada.Lovelace+Keys@Example.CO.uk ").value());
        assertEquals("o'brien_{x}@mail-1.xn--bcher-kva.example", Email.parse("o'brien_{x}@mail-1.xn--bcher-kva.example").value());
    }

    @Test
    void display_names_comments_quotes_lists_and_routes_are_refused_because_mail_would_go_elsewhere() {
        for (String text : new String[] {"ceo<attacker@evil.example>", "victim@corp.example(x)", "a@b.example,c@d.example",
                "a@b.example;c", "\"ceo@corp.example\"@evil.example", "ceo@corp.example@evil.example", "a..b@example.com",
                ".a@example.com", "a.@example.com", "a@-example.com", "a@example-.com", "a@example", "a@[127.0.0.1]",
                "café@example.com", "a@bücher.example", "a b@example.com", "@example.com", "a@.example.com"}) {
            var refused = assertThrows(InvalidInputException.class, () -> Email.parse(text), text);
            assertEquals("email", refused.errors().getFirst().field(), text);
        }
    }

    @Test
    void stored_addresses_load_as_they_were_accepted_before() {
        assertEquals("ceo<attacker@evil.example>", new Email("CEO<attacker@evil.example>").value());
    }
}
