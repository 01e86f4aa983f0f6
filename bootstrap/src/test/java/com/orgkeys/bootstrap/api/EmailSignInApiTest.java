package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import com.orgkeys.application.account.service.EmailSignInService;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-in by mail over the JSON API, with the link and code read from the mail a real SMTP server received. */
class EmailSignInApiTest {
    private static final String BASE_URL = "https://keys.example.com";
    private static final String SUBJECT = "Sign in to orgkeys";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(BASE_URL) + "/sign-in/link\\?token=([A-Za-z0-9_-]{43})");
    private static final Pattern CODE = Pattern.compile("Or enter this code on the sign-in page: ([0-9]{6})");

    private final GreenMail greenMail = new GreenMail(Mails.smtps());
    private final TestServer server;

    {
        server = Mails.serverSendingTo(greenMail, Map.of("BASE_URL", BASE_URL));
    }

    @AfterEach
    void stop() {
        server.close();
        greenMail.stop();
    }

    /** The link's token and the code of the newest sign-in mail, once {@code count} of them have arrived. */
    private record Mailed(String token, String code) {
    }

    private Mailed awaitMail(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<MimeMessage> mails = Mails.withSubject(greenMail, SUBJECT);
        while (mails.size() < count && Instant.now().isBefore(deadline)) {
            greenMail.waitForIncomingEmail(200, greenMail.getReceivedMessages().length + 1); // a bounded poll
            mails = Mails.withSubject(greenMail, SUBJECT);
        }
        assertEquals(count, mails.size());
        String text = Mails.text(mails.getLast());
        Matcher link = LINK.matcher(text);
        Matcher code = CODE.matcher(text);
        assertTrue(link.find() && code.find(), text);
        return new Mailed(link.group(1), code.group(1));
    }

    private Api.Response request(String email) {
        return server.anonymous().post("/api/auth/sign-in/email", body("email", email));
    }

    private static String wrong(String code) {
        return "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    void the_mailed_code_signs_in_once_as_a_password_would_and_verifies_the_email() throws Exception {
        server.signUpUnverified("ada@example.com"); // the code verifies the email, too

        var requested = request("ADA@example.com");
        assertEquals(202, requested.status(), requested.toString());
        MimeMessage mail = Mails.await(greenMail, SUBJECT);
        assertEquals(new InternetAddress("orgkeys <keys@example.com>"), mail.getFrom()[0]);
        assertEquals("ada@example.com", ((InternetAddress) mail.getAllRecipients()[0]).getAddress());
        String html = (String) ((Multipart) mail.getContent()).getBodyPart(1).getContent();
        Mailed mailed = awaitMail(1);
        assertTrue(html.contains("href=\"" + BASE_URL + "/sign-in/link?token=" + mailed.token() + "\""), html);
        assertTrue(html.contains(mailed.code()), html);

        Api browser = server.anonymous();
        var signedIn = browser.post("/api/auth/sign-in/code", body("email", "ada@example.com", "code", mailed.code()));
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals("ada@example.com", signedIn.body().get("user").get("email").asText());
        var me = browser.get("/api/me");
        assertEquals(200, me.status());
        assertTrue(me.body().get("emailVerified").asBoolean(), "a code read from the mail proves the address");

        var again = server.anonymous().post("/api/auth/sign-in/code", body("email", "ada@example.com", "code", mailed.code()));
        assertEquals(401, again.status(), again.toString());
        var link = server.anonymous().post("/api/auth/sign-in/link", body("token", mailed.token()));
        assertEquals(422, link.status(), "the code used the mail: its link is done too");
    }

    @Test
    void the_link_signs_in_once_and_only_where_nobody_is_signed_in() {
        server.signUp("ada@example.com");
        Api shared = server.signUp("mallory@example.com"); // a browser someone else is signed in to
        request("ada@example.com");
        Mailed mailed = awaitMail(1);

        var refused = shared.post("/api/auth/sign-in/link", body("token", mailed.token()));
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("mallory@example.com", shared.get("/api/me").body().get("user").get("email").asText(),
                "nothing changed, and the link still works");

        Api fresh = server.anonymous();
        var signedIn = fresh.post("/api/auth/sign-in/link", body("token", mailed.token()));
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals("ada@example.com", fresh.get("/api/me").body().get("user").get("email").asText());
        var again = server.anonymous().post("/api/auth/sign-in/link", body("token", mailed.token()));
        assertEquals(422, again.status(), again.toString());
        assertEquals("token", again.body().get("errors").get(0).get("field").asText());
        assertEquals(401, server.anonymous().post("/api/auth/sign-in/code",
                body("email", "ada@example.com", "code", mailed.code())).status());
    }

    @Test
    void an_unknown_email_gets_the_same_answer_and_no_mail_and_a_wrong_one_the_same_refusal() throws Exception {
        server.signUp("ada@example.com");

        var unknown = request("nobody@example.com");
        var known = request("ada@example.com");
        assertEquals(202, unknown.status());
        assertEquals(known.body(), unknown.body());
        Mailed mailed = awaitMail(1);
        assertEquals("ada@example.com", Mails.withSubject(greenMail, SUBJECT).getFirst().getAllRecipients()[0].toString());

        var wrongEmail = server.anonymous().post("/api/auth/sign-in/code", body("email", "nobody@example.com", "code", mailed.code()));
        var wrongCode = server.anonymous().post("/api/auth/sign-in/code", body("email", "ada@example.com", "code", wrong(mailed.code())));
        assertEquals(401, wrongEmail.status());
        assertEquals(wrongCode.status(), wrongEmail.status());
        assertEquals(wrongCode.body().get("detail"), wrongEmail.body().get("detail"));
    }

    @Test
    void link_and_code_are_refused_after_ten_minutes() {
        server.signUp("ada@example.com");
        request("ada@example.com");
        Mailed mailed = awaitMail(1);
        server.clock.advance(Duration.ofMinutes(10));

        assertEquals(422, server.anonymous().post("/api/auth/sign-in/link", body("token", mailed.token())).status());
        assertEquals(401, server.anonymous().post("/api/auth/sign-in/code",
                body("email", "ada@example.com", "code", mailed.code())).status());
    }

    @Test
    void a_new_request_replaces_the_earlier_mail_and_requests_are_throttled() {
        server.signUp("ada@example.com");
        request("ada@example.com");
        Mailed first = awaitMail(1);
        request("ada@example.com");
        Mailed second = awaitMail(2);

        assertEquals(422, server.anonymous().post("/api/auth/sign-in/link", body("token", first.token())).status());
        request("ada@example.com");
        var throttled = request("ada@example.com");
        assertEquals(429, throttled.status(), throttled.toString());
        assertTrue(throttled.header("Retry-After") != null);
        assertEquals(200, server.anonymous().post("/api/auth/sign-in/link", body("token", awaitMail(3).token())).status());
        assertFalse(second.token().equals(first.token()));
    }

    @Test
    void forty_parallel_code_guesses_from_forty_addresses_cannot_pass_the_limit() throws Exception {
        server.signUp("ada@example.com");
        request("ada@example.com");
        Mailed mailed = awaitMail(1);
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Api guesser = server.anonymous().forwardedFor("198.51.100." + i);
                guesses.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return guesser.post("/api/auth/sign-in/code",
                            body("email", "ada@example.com", "code", wrong(mailed.code()))).status();
                }));
            }
            start.countDown();
            for (Future<Integer> guess : guesses) {
                int status = guess.get(60, TimeUnit.SECONDS);
                assertTrue(status == 401 || status == 429, "unexpected status " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        server.clock.advance(Duration.ofMinutes(1)); // past the account's backoff, within the code's ten minutes

        var right = server.anonymous().forwardedFor("198.51.100.200").post("/api/auth/sign-in/code",
                body("email", "ada@example.com", "code", mailed.code()));
        assertEquals(401, right.status(), EmailSignInService.MAX_CODE_ATTEMPTS + " wrong guesses end the code: " + right);
        // the link of the same mail was not guessed at, and still signs in
        assertEquals(200, server.anonymous().post("/api/auth/sign-in/link", body("token", mailed.token())).status());
    }
}
