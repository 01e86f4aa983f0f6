package com.orgkeys.persistence.webhook;

import java.net.InetAddress;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes {@link java.net.http.HttpClient} connect to the addresses a webhook delivery checked, not to what the name
 * resolves to a moment later (DNS rebinding), while the request keeps its host name for the Host header, SNI and the
 * certificate check. The JDK lets a program replace name resolution only for the whole process, through this
 * service-provider interface: every name resolves as before (the built-in resolver) except the host names a delivery
 * has pinned, and only while it is sending. Static because the JDK makes one resolver per process.
 */
public final class PinnedAddresses extends InetAddressResolverProvider {
    private record Pin(InetAddress[] addresses, int holders) {
    }

    private static final Map<String, Pin> pins = new ConcurrentHashMap<>();

    /** Until closed, {@code host} resolves to {@code addresses} (already checked) in this process. */
    static AutoCloseable pin(String host, InetAddress[] addresses) {
        String key = host.toLowerCase(Locale.ROOT);
        // two deliveries to one host at once share the first one's pin: both sets were checked
        pins.compute(key, (k, pin) -> pin == null ? new Pin(addresses.clone(), 1) : new Pin(pin.addresses(), pin.holders() + 1));
        return () -> pins.computeIfPresent(key, (k, pin) -> pin.holders() == 1 ? null : new Pin(pin.addresses(), pin.holders() - 1));
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws java.net.UnknownHostException {
                Pin pin = pins.get(host.toLowerCase(Locale.ROOT));
                return pin == null ? builtin.lookupByName(host, policy) : Arrays.stream(pin.addresses());
            }

            @Override
            public String lookupByAddress(byte[] address) throws java.net.UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "orgkeys-webhook-pins";
    }
}
