package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A passkey made apart from the server's WebAuthn library, for the HTTP tests: an ES256 key pair behind a
 * discoverable credential, answering options with real WebAuthn JSON (the browser's {@code toJSON()} forms:
 * "none" attestation in CBOR, client data JSON, signed authenticator data with user presence and verification).
 * {@link #counter} may be set back, as on a cloned authenticator.
 */
public final class SoftwarePasskey {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final String origin;
    private final byte[] credentialId = new byte[16];
    private byte[] userHandle;
    public int counter;

    /** @param origin the server's public origin, e.g. {@code http://localhost:8080} */
    public SoftwarePasskey(String origin) {
        this.origin = origin;
        new SecureRandom().nextBytes(credentialId);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String credentialId() {
        return B64.encodeToString(credentialId);
    }

    /** The answer to creation options ({@code publicKey} of the server's options). */
    public ObjectNode create(JsonNode publicKey) {
        userHandle = Base64.getUrlDecoder().decode(publicKey.get("user").get("id").asText());
        String rpId = publicKey.get("rp").get("id").asText();
        byte[] clientData = clientData("webauthn.create", publicKey.get("challenge").asText());
        ByteArrayOutputStream authData = authenticatorData(rpId, 0x45); // user present, verified, credential data
        authData.writeBytes(new byte[16]); // AAGUID: none
        authData.writeBytes(new byte[]{(byte) (credentialId.length >> 8), (byte) credentialId.length});
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey());
        ByteArrayOutputStream attestation = new ByteArrayOutputStream();
        attestation.write(0xA3); // {"fmt": "none", "attStmt": {}, "authData": …}
        text(attestation, "fmt");
        text(attestation, "none");
        text(attestation, "attStmt");
        attestation.write(0xA0);
        text(attestation, "authData");
        bytes(attestation, authData.toByteArray());
        ObjectNode response = JSON.createObjectNode().put("clientDataJSON", B64.encodeToString(clientData))
                .put("attestationObject", B64.encodeToString(attestation.toByteArray()));
        return credential(response);
    }

    /** The answer to request options, signed with a counter one higher than the last. */
    public ObjectNode get(JsonNode publicKey) {
        counter++;
        String rpId = publicKey.get("rpId").asText();
        byte[] clientData = clientData("webauthn.get", publicKey.get("challenge").asText());
        byte[] authData = authenticatorData(rpId, 0x05).toByteArray(); // user present and verified
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(authData);
            signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
            ObjectNode response = JSON.createObjectNode().put("clientDataJSON", B64.encodeToString(clientData))
                    .put("authenticatorData", B64.encodeToString(authData))
                    .put("signature", B64.encodeToString(signer.sign()))
                    .put("userHandle", B64.encodeToString(userHandle));
            return credential(response);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode credential(ObjectNode response) {
        ObjectNode credential = JSON.createObjectNode().put("id", credentialId()).put("rawId", credentialId())
                .put("type", "public-key");
        credential.set("response", response);
        credential.set("clientExtensionResults", JSON.createObjectNode());
        return credential;
    }

    private byte[] clientData(String type, String challenge) {
        ObjectNode data = JSON.createObjectNode().put("type", type).put("challenge", challenge)
                .put("origin", origin).put("crossOrigin", false);
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    private ByteArrayOutputStream authenticatorData(String rpId, int flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.writeBytes(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        out.write(flags);
        out.writeBytes(ByteBuffer.allocate(4).putInt(counter).array());
        return out;
    }

    /** The public key as a COSE_Key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
    private byte[] coseKey() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21});
        bytes(out, coordinate(key.getW().getAffineX()));
        out.write(0x22);
        bytes(out, coordinate(key.getW().getAffineY()));
        return out.toByteArray();
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static void text(ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x60 | utf8.length); // short strings only
        out.writeBytes(utf8);
    }

    private static void bytes(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes.length < 24) {
            out.write(0x40 | bytes.length);
        } else if (bytes.length < 256) {
            out.write(0x58);
            out.write(bytes.length);
        } else {
            out.write(0x59);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xFF);
        }
        out.writeBytes(bytes);
    }
}
