package dev.anonymoususers.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A SAML service provider's side of a sign-in, as the SAML 2.0 HTTP-Redirect binding sends it and the HTTP-POST
 * binding answers: an unsigned AuthnRequest, and the Response read with the JDK's XML parser.
 */
public final class SamlRequests {

    private static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";

    private SamlRequests() {
    }

    /** The URL of an AuthnRequest of {@code issuer}; {@code subject}, when given, is its NameID (SAML's login hint). */
    public static String authnRequestUrl(KeycloakServer server, String realm, String issuer, String acsUrl, String subject) {
        String xml = "<samlp:AuthnRequest xmlns:samlp=\"" + PROTOCOL + "\" xmlns:saml=\"" + ASSERTION + "\""
                + " ID=\"_" + UUID.randomUUID() + "\" Version=\"2.0\" IssueInstant=\"" + Instant.now() + "\""
                + " Destination=\"" + server.realmUrl(realm) + "/protocol/saml\""
                + " AssertionConsumerServiceURL=\"" + acsUrl + "\""
                + " ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\">"
                + "<saml:Issuer>" + issuer + "</saml:Issuer>"
                + (subject == null ? "" : "<saml:Subject><saml:NameID>" + subject + "</saml:NameID></saml:Subject>")
                + "</samlp:AuthnRequest>";
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFLATED, true))) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return server.realmUrl(realm) + "/protocol/saml?SAMLRequest="
                + URLEncoder.encode(Base64.getEncoder().encodeToString(deflated.toByteArray()), StandardCharsets.UTF_8);
    }

    /** The Response a page posts to the service provider: its top-level status, and whether it holds an assertion. */
    public record Response(String status, boolean hasAssertion) {
    }

    /** Reads the SAMLResponse of Keycloak's auto-posting page. */
    public static Response responseIn(String page) {
        Matcher field = Pattern.compile("name=\"SAMLResponse\"\\s+value=\"([^\"]+)\"").matcher(page == null ? "" : page);
        if (!field.find()) {
            throw new AssertionError("No SAMLResponse on the page:\n" + page);
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document response = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Base64.getDecoder().decode(field.group(1))));
            Element status = (Element) response.getElementsByTagNameNS(PROTOCOL, "StatusCode").item(0);
            return new Response(status.getAttribute("Value"),
                    response.getElementsByTagNameNS(ASSERTION, "Assertion").getLength() > 0);
        } catch (Exception e) {
            throw new AssertionError("The SAMLResponse is not a SAML response", e);
        }
    }
}
