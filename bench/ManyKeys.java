import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Scenario 10's keys: N real API key secrets, made as the server makes them (ApiKeySecret: "ok_" + 43 base62
 * characters + a 6-character base62 CRC32 of what precedes it; stored as the hex SHA-256), written as a COPY file
 * for api_keys (tab-separated) and a secrets file (one per line) for wrk. Random from a SplittableRandom seeded
 * by SecureRandom: fast, and these keys live only in a benchmark's temporary database.
 *
 * Usage: java ManyKeys.java COUNT ORGANIZATION_ID CREATED_BY COPY_FILE SECRETS_FILE
 */
public final class ManyKeys {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static void main(String[] args) throws Exception {
        if (args.length != 5) throw new IllegalArgumentException("usage: ManyKeys COUNT ORGANIZATION_ID CREATED_BY COPY_FILE SECRETS_FILE");
        int count = Integer.parseInt(args[0]);
        UUID organization = UUID.fromString(args[1]);
        String createdBy = args[2];
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        try (BufferedWriter copy = Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8);
             BufferedWriter secrets = Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.US_ASCII)) {
            StringBuilder body = new StringBuilder(52);
            for (int i = 0; i < count; i++) {
                body.setLength(0);
                body.append("ok_");
                for (int c = 0; c < 43; c++) body.append(BASE62.charAt(random.nextInt(62)));
                String secret = body.append(checksum(body)).toString();
                String hash = hex.formatHex(sha256.digest(secret.getBytes(StandardCharsets.US_ASCII)));
                UUID id = new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
                // id, organization_id, name, scopes, secret_hash, hint, created_by, created_at
                copy.write(id + "\t" + organization + "\tmany " + i + "\t{org:agents:read}\t" + hash + "\tok_…"
                        + secret.substring(secret.length() - 4) + "\t" + createdBy + "\t2026-01-01T00:00:00Z\n");
                secrets.write(secret);
                secrets.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As ApiKeySecret.checksum: CRC32 of the ASCII body, as 6 base62 digits, most significant first. */
    private static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long n = crc.getValue();
        char[] out = new char[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(out);
    }
}
