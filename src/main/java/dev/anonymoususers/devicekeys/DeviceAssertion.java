package dev.anonymoususers.devicekeys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import org.keycloak.util.JsonSerialization;

/**
 * A device assertion as it arrives: a compact JWS, taken apart but not yet trusted. Parsing checks only the form;
 * {@link DeviceAssertionVerifier} decides whether it is acceptable.
 *
 * <p>Public contract: header {@code typ} = {@value DeviceAssertionVerifier#TYPE}, {@code alg}, and {@code jwk} or
 * {@code kid}; payload {@code challenge}, {@code action} ({@code auth} or {@code promote}) and {@code iat}.
 */
record DeviceAssertion(Map<String, Object> header, Map<String, Object> payload, byte[] signingInput, byte[] signature) {

    /** Larger assertions are refused before any parsing. */
    static final int MAX_LENGTH = 8 * 1024;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Pattern LOOKS_LIKE_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    static DeviceAssertion parse(String compact) throws DeviceKeyError {
        if (compact == null || compact.isBlank()) {
            throw DeviceKeyError.invalidRequest("Missing parameter: assertion");
        }
        if (compact.length() > MAX_LENGTH) {
            throw DeviceKeyError.invalidRequest("The assertion is larger than 8 KiB");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length == 5) {
            throw DeviceKeyError.invalidRequest("Encrypted JWTs are not accepted: send the assertion as a compact JWS");
        }
        if (parts.length != 3) {
            throw DeviceKeyError.invalidRequest("The assertion is not a compact JWS of three base64url parts (header.payload.signature)");
        }
        Map<String, Object> header = json(decode(parts[0], "header"), "header");
        if ("JWT".equalsIgnoreCase(String.valueOf(header.get("cty")))) {
            throw DeviceKeyError.invalidRequest("Nested JWTs are not accepted: the payload must be the assertion's own claims");
        }
        byte[] payloadBytes = decode(parts[1], "payload");
        if (LOOKS_LIKE_JWS.matcher(new String(payloadBytes, StandardCharsets.US_ASCII)).matches()) {
            throw DeviceKeyError.invalidRequest("Nested JWTs are not accepted: the payload must be the assertion's own claims");
        }
        Map<String, Object> payload = json(payloadBytes, "payload");
        byte[] signature = decode(parts[2], "signature");
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new DeviceAssertion(header, payload, signingInput, signature);
    }

    String headerString(String name) {
        return stringOrNull(header.get(name));
    }

    String payloadString(String name) {
        return stringOrNull(payload.get(name));
    }

    private static String stringOrNull(Object value) {
        return value instanceof String string ? string : null;
    }

    private static byte[] decode(String part, String name) throws DeviceKeyError {
        if (!BASE64URL.matcher(part).matches()) {
            throw DeviceKeyError.invalidRequest("The assertion " + name + " is not base64url without padding");
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw DeviceKeyError.invalidRequest("The assertion " + name + " is not valid base64url");
        }
    }

    private static Map<String, Object> json(byte[] bytes, String name) throws DeviceKeyError {
        try {
            Map<String, Object> object = JsonSerialization.mapper.readValue(bytes, JSON_OBJECT);
            if (object == null) {
                throw DeviceKeyError.invalidRequest("The assertion " + name + " is not a JSON object");
            }
            return object;
        } catch (java.io.IOException | RuntimeException e) {
            throw DeviceKeyError.invalidRequest("The assertion " + name + " is not a JSON object");
        }
    }
}
