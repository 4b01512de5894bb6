package io.trainscope.server.access;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Who may watch and who may control (docs/security.md), decided here and nowhere else. Without a token
 * everyone may control. With one, control needs it, and with {@code --private} watching needs it too. The
 * token comes as {@code ?token=T} on the WebSocket URL or {@code Authorization: Bearer T} on HTTP (on HTTP
 * reads {@code ?token=T} too, for download links); it is
 * compared in constant time ({@link MessageDigest#isEqual}) and never written to a log or an error message.
 */
public final class AccessPolicy {

    /** What a request may do. */
    public enum Level {
        /** Nothing: a private server and no valid token. */
        NONE,
        /** Watch runs, read-only. */
        WATCH,
        /** Watch and control runs. */
        CONTROL,
        /**
         * A token was presented from an address that has presented too many wrong ones lately: refused unchecked
         * (429) until its {@link TokenThrottle} budget refills.
         */
        THROTTLED
    }

    private static final int TOKEN_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final boolean privateMode;
    private final TokenThrottle throttle = new TokenThrottle();

    /** {@code token} null: everyone controls. {@code privateMode} needs a token. */
    public AccessPolicy(String token, boolean privateMode) {
        if (privateMode && token == null) {
            throw new IllegalArgumentException("--private needs a token");
        }
        checkToken(token);
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.privateMode = privateMode;
    }

    /** A fresh random token: 24 bytes from {@link SecureRandom}, base64url without padding (32 characters). */
    public static String generateToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A token a user gave (null for none) that can work: not blank, and without spaces or control characters,
     * which an {@code Authorization} header's value loses when it is trimmed and a URL must escape.
     *
     * @throws IllegalArgumentException saying what is wrong with it, without repeating it
     */
    public static void checkToken(String token) {
        if (token == null) {
            return;
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("--token must not be empty or blank");
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("--token must not contain spaces or control characters");
        }
    }

    public boolean tokenRequired() {
        return token != null;
    }

    public boolean privateMode() {
        return privateMode;
    }

    /** The level a WebSocket handshake earns with its {@code ?token=}. */
    public Level socket(HttpServerRequest request) {
        return decide(socketToken(request), request);
    }

    /** The level an HTTP request earns with the token it presents ({@link #presented}). */
    public Level http(HttpServerRequest request) {
        return decide(presented(request), request);
    }

    /** After {@link Level#THROTTLED}: milliseconds until this request's address may present a token again. */
    public long retryAfterMillis(HttpServerRequest request) {
        return throttle.retryAfterMillis(client(request), System.nanoTime());
    }

    /** On the HTTP verticle's event loop, where the throttle lives. */
    private Level decide(String presented, HttpServerRequest request) {
        if (token == null || presented == null || presented.isEmpty()) {
            return level(presented);
        }
        String client = client(request);
        long now = System.nanoTime();
        if (!throttle.mayTry(client, now)) {
            return Level.THROTTLED;
        }
        Level level = level(presented);
        if (level != Level.CONTROL) {
            throttle.failed(client, now);
        }
        return level;
    }

    private static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /**
     * The token an HTTP request presents: {@code Authorization: Bearer T}, or for a read (GET, HEAD) also
     * {@code ?token=T}, because a download link in the page cannot carry a header. Null when none.
     */
    public static String presented(HttpServerRequest request) {
        String bearer = bearer(request);
        if (bearer != null) {
            return bearer;
        }
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        return read ? request.getParam("token") : null;
    }

    /** The token a WebSocket handshake presents, or null. */
    public static String socketToken(HttpServerRequest request) {
        return request.getParam("token");
    }

    /** The token in {@code Authorization: Bearer T}, or null. */
    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    Level level(String presented) {
        if (token == null) {
            return Level.CONTROL;
        }
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return Level.CONTROL;
        }
        return privateMode ? Level.NONE : Level.WATCH;
    }

    /** The refusal of a throttled token: how long to wait, and why, without saying whether it was right. */
    public static String throttledMessage(long waitMillis) {
        return "too many wrong tokens from this address: no token is checked for "
                + Math.max(1, (waitMillis + 999) / 1000) + " s (at most " + TokenThrottle.BURST + " wrong ones, then "
                + (long) TokenThrottle.PER_SECOND + " a second)";
    }

    /**
     * Why {@code presented} does not control, for an error message; never repeats the token. A missing token
     * and a wrong one are told apart so that a user knows whether to add it or to check it.
     */
    public static String why(String presented) {
        return presented == null || presented.isEmpty() ? "no token was given" : "the token given is wrong";
    }
}
