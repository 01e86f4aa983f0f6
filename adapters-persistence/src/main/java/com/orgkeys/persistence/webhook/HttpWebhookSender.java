package com.orgkeys.persistence.webhook;

import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookUrl;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends webhooks with the JDK's HttpClient, guarded against server-side request forgery: https only; the host's
 * addresses resolved and checked at every delivery ({@link AddressGuard}), then pinned for the connection
 * ({@link PinnedAddresses}) so that a name that resolves elsewhere a moment later changes nothing; no redirects;
 * {@link #TIMEOUT} for the whole exchange; at most {@link WebhookAttempt#MAX_BODY} bytes of the answer read.
 * {@code allowPrivate} (WEBHOOKS_ALLOW_PRIVATE, for development and tests) lets plain http and any address through.
 */
public final class HttpWebhookSender implements WebhookSender {
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final boolean allowPrivate;
    private final HttpClient client;

    public HttpWebhookSender(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
        // no proxy even if the JVM has one configured: a proxy would resolve the name again, past the pinned address
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT)
                .proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void check(WebhookUrl url) {
        try {
            checkedAddresses(url);
        } catch (NotSentException e) {
            throw new InvalidInputException("url", e.getMessage());
        }
    }

    @Override
    public Response send(WebhookUrl url, Map<String, String> headers, String body) {
        InetAddress[] addresses = checkedAddresses(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(url.value()).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try (AutoCloseable pinned = PinnedAddresses.pin(url.host(), addresses)) {
            CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request.build(),
                    info -> new CappedBody(WebhookAttempt.MAX_BODY));
            try {
                HttpResponse<String> response = exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return new Response(response.statusCode(), response.body());
            } catch (TimeoutException e) {
                exchange.cancel(true);
                throw new NotSentException("no answer within " + TIMEOUT.toSeconds() + " s", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof HttpTimeoutException) {
                    throw new NotSentException("no answer within " + TIMEOUT.toSeconds() + " s", cause);
                }
                throw new NotSentException("not reached: " + describe(cause), cause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotSentException("interrupted", e);
        } catch (NotSentException e) {
            throw e;
        } catch (Exception e) {
            throw new NotSentException("not sent: " + describe(e), e);
        }
    }

    /**
     * What went wrong, in words for the attempt list: never an exception's class or a message that names one (a TLS
     * failure's message names the JDK's internals), which tell the endpoint's owner nothing they can act on.
     */
    static String describe(Throwable cause) {
        if (cause instanceof java.net.http.HttpConnectTimeoutException) return "no connection within " + TIMEOUT.toSeconds() + " s";
        if (cause instanceof java.net.ConnectException) return "connection refused or network unreachable";
        if (cause instanceof javax.net.ssl.SSLHandshakeException) return "TLS handshake failed (certificate or protocol)";
        if (cause instanceof javax.net.ssl.SSLException) return "TLS failed";
        if (cause instanceof java.io.EOFException) return "connection closed before an answer";
        return "connection failed"; // the JDK's messages name its internals: nothing here the endpoint's owner can use
    }

    /** The host's addresses, every one of them allowed; throws naming the first refused. */
    private InetAddress[] checkedAddresses(WebhookUrl url) {
        if (!url.isHttps() && !allowPrivate) {
            throw new NotSentException("must be https (plain http only with WEBHOOKS_ALLOW_PRIVATE=true)", null);
        }
        // one sentence whatever the reason: saying "does not resolve" for one name and "private" for another would
        // let whoever manages webhooks map the names the server's own network resolves
        String refused = "host " + url.host() + " must resolve to public addresses only"
                + (allowPrivate ? "" : " (private ones only with WEBHOOKS_ALLOW_PRIVATE=true)");
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.host());
        } catch (UnknownHostException e) {
            throw new NotSentException(refused, e);
        }
        if (addresses.length == 0) throw new NotSentException(refused, null);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                // one refused address refuses the host: the client may pick any of them
                if (AddressGuard.refusal(address) != null) throw new NotSentException(refused, null);
            }
        }
        return addresses;
    }

    /** Collects the answer's first {@code cap} bytes, then stops reading (the rest is never downloaded). */
    private static final class CappedBody implements HttpResponse.BodySubscriber<String> {
        private final int cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletableFuture<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), cap - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= cap) {
                subscription.cancel();
                complete();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            complete();
        }

        private void complete() {
            result.complete(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public String toString() {
        return "HttpWebhookSender[allowPrivate=" + allowPrivate + "]";
    }

}
