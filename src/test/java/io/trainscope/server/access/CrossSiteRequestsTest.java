package io.trainscope.server.access;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.refusal;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page on another site, in the user's own browser, against a default server on loopback (issue 8, items 1 and
 * 2): it can neither write (cross-site requests, an HTML form's {@code text/plain} body that happens to be JSON)
 * nor, through a name it makes resolve to 127.0.0.1, read or write as if it were the server's own page.
 */
@ExtendWith(VertxExtension.class)
class CrossSiteRequestsTest {

    static final String EVIL = "http://evil.example";
    /** What a form or a simple request can send across sites without a preflight, and what a script could try. */
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "text/plain;charset=UTF-8", "application/json");

    @TempDir
    Path data;

    /** Every write the REST API has, with a body valid for it. */
    private static List<Object[]> writes(String run) {
        return List.of(
                new Object[] {HttpMethod.POST, "/api/runs", spec(10, 0)},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/pause", "{}"},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/resume", "{}"},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/step", "{}"},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/set", "{\"learningRate\": 1000}"},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/gradient-check", "{}"},
                new Object[] {HttpMethod.POST, "/api/runs/" + run + "/stop", "{}"},
                new Object[] {HttpMethod.PATCH, "/api/runs/" + run, "{\"name\": \"pwned\"}"},
                new Object[] {HttpMethod.DELETE, "/api/runs/" + run, "{}"});
    }

    @Test
    void noWriteFromAnotherSiteIsCarriedOutWhateverItsContentType(Vertx vertx) throws InterruptedException {
        crossSiteWritesAreRefused(Scene.start(vertx, data, null, SecurityConfig.DEFAULT), Map.of());
    }

    /** A page that somehow holds the token (it was pasted into it) still cannot write from another site. */
    @Test
    void onTokenAndPrivateServersTooEvenWithTheToken() throws Exception {
        for (boolean privateMode : new boolean[] {false, true}) {
            Vertx vertx = Vertx.vertx();
            try {
                Scene scene = Scene.start(vertx, data.resolve("private-" + privateMode), "cross-site-token",
                        SecurityConfig.DEFAULT.withPrivate(privateMode));
                crossSiteWritesAreRefused(scene, bearer("cross-site-token"));
            } finally {
                Clients.await(vertx.close());
            }
        }
    }

    private static void crossSiteWritesAreRefused(Scene scene, Map<String, String> auth) {
        int requests = 0;
        for (Object[] write : writes(scene.live)) {
            for (String type : CONTENT_TYPES) {
                Map<String, String> headers = new HashMap<>(auth);
                headers.put("Origin", EVIL);
                headers.put("Content-Type", type);
                Clients.Reply reply = scene.clients.http((HttpMethod) write[0], (String) write[1], headers,
                        (String) write[2]);
                assertEquals(403, reply.status(), () -> write[0] + " " + write[1] + " as " + type + ": " + reply.body());
                assertTrue(reply.json().getString("error").contains("origin " + EVIL), reply.body()::toString);
                requests++;
            }
        }
        assertEquals(45, requests);
        JsonObject run = scene.clients.get("/api/runs/" + scene.live, scene.auth).json();
        assertEquals("running", run.getString("status"), "no pause, set, stop or delete got through");
        assertEquals(0.5, run.getDouble("learningRate"));
        assertFalse(run.containsKey("name"));
        assertEquals(2, scene.clients.get("/api/runs", scene.auth).body().toJsonArray().size(), "no run was started");
        scene.assertIntact();
    }

    /** The page's own origin (or none, a script) may write, but only a JSON body: a form's cannot pass. */
    @Test
    void aWriteBodyMustBeJsonEvenFromThisServersOwnOrigin(Vertx vertx) throws InterruptedException {
        Scene scene = Scene.start(vertx, data, null, SecurityConfig.DEFAULT);
        // The clients name the server by address, so its own origin is the address's.
        String own = "http://127.0.0.1:" + scene.server.port();
        for (String type : CONTENT_TYPES.subList(0, 4)) {
            for (Map<String, String> origin : List.of(Map.of("Origin", own), Map.<String, String>of())) {
                Map<String, String> headers = new HashMap<>(origin);
                headers.put("Content-Type", type);
                // What an HTML form with enctype="text/plain" sends: name=value, arranged to read as a JSON object.
                Clients.Reply form = scene.clients.post("/api/runs", headers, spec(10, 0));
                assertEquals(415, form.status(), () -> type + " " + origin + ": " + form.body());
                assertTrue(form.json().getString("error").contains("application/json"), form.body()::toString);
            }
        }
        Clients.Reply noType = scene.clients.http(HttpMethod.POST, "/api/runs/" + scene.live + "/pause",
                Map.of("Content-Type", "text/plain"), "");
        assertEquals(415, noType.status(), "a write that names a type must name JSON, body or not");
        assertEquals(201, scene.clients.post("/api/runs", Map.of("Origin", own, "Content-Type", "application/json; charset=utf-8"),
                spec(10, 0)).status(), "the page's own start");
        assertEquals(200, scene.clients.post("/api/runs/" + scene.live + "/pause", Map.of(), "").status(),
                "a script's bodiless write");
        assertEquals(200, scene.clients.post("/api/runs/" + scene.live + "/resume", Map.of(), "").status());
        scene.assertIntact();
    }

    /**
     * DNS rebinding: the attacker's name resolves to 127.0.0.1, so its page is same-origin with itself and sends
     * its own name as Host and Origin. The server answers only for loopback names, and names it is given.
     */
    @Test
    void aRequestForAnotherHostIsRefusedOnADefaultServer(Vertx vertx) throws InterruptedException {
        rebindingIsRefused(vertx, null);
    }

    @Test
    void aRequestForAnotherHostIsRefusedOnATokenServer(Vertx vertx) throws InterruptedException {
        rebindingIsRefused(vertx, "rebind-token");
    }

    private void rebindingIsRefused(Vertx vertx, String token) throws InterruptedException {
        Scene scene = Scene.start(vertx, data, token,
                SecurityConfig.DEFAULT.withAllowedHosts(List.of("dash.example.org", ".lab.example")));
        int port = scene.server.port();
        String evil = "evil.example:" + port;
        Map<String, String> rebound = Map.of("Host", evil, "Origin", "http://" + evil);
        for (Object[] write : writes(scene.live)) {
            Clients.Reply reply = scene.clients.http((HttpMethod) write[0], (String) write[1], rebound, (String) write[2]);
            assertEquals(403, reply.status(), () -> write[1] + ": " + reply.body());
            assertTrue(reply.json().getString("error").contains("host evil.example"), reply.body()::toString);
        }
        for (String read : List.of("/api/runs", "/api/runs/" + scene.finished + "/metrics", "/metrics", "/", "/health")) {
            assertEquals(403, scene.clients.get(read, Map.of("Host", evil)).status(), read);
        }
        JsonObject refused = refusal(scene.clients.rejected("/ws" + (token == null ? "" : "?token=" + token),
                rebound), 403);
        assertTrue(refused.getString("error").contains("DNS rebinding"), refused::encode);

        Map<String, String> auth = token == null ? Map.of() : bearer(token);
        for (String host : List.of("localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "[::1]", "app.localhost",
                "localhost.", "dash.example.org", "a.lab.example", "lab.example")) {
            assertEquals(200, scene.clients.get("/api/runs", with(auth, "Host", host + ":" + port)).status(), host);
            assertEquals(200, scene.clients.get("/api/runs", with(auth, "Host", host)).status(), host + " without port");
        }
        for (String host : List.of("10.0.0.5", "[fe80::1]", "localhost.evil.example", "example.org", "127.0.0.1.evil.example")) {
            assertEquals(403, scene.clients.get("/api/runs", with(auth, "Host", host)).status(), host);
        }
        scene.clients.viewer("/ws", Map.of("Host", "127.0.0.1:" + port, "Origin", "http://127.0.0.1:" + port))
                .next("hello");
        scene.assertIntact();
    }

    @Test
    void beyondLoopbackAServerAnswersForItsNamesAndAnyAddress() {
        HostPolicy lan = HostPolicy.forBinding("0.0.0.0", false, List.of("gpu-box.lab.example"));
        assertTrue(lan.allowed("192.168.1.20"), "an address is never a rebinding attacker's name");
        assertTrue(lan.allowed("fe80::1"));
        assertTrue(lan.allowed("gpu-box.lab.example"));
        assertTrue(lan.allowed("localhost"));
        assertFalse(lan.allowed("evil.example"));
        assertFalse(lan.allowed(""));
        HostPolicy loopback = HostPolicy.forBinding("127.0.0.1", true, List.of());
        assertTrue(loopback.allowed("::ffff:127.0.0.1"));
        assertFalse(loopback.allowed("::ffff:10.0.0.1"));
        assertFalse(loopback.allowed("::2"));
        for (String bad : List.of("http://x", "a b", "x/y", "")) {
            assertThrows(bad);
        }
    }

    private static void assertThrows(String allowedHost) {
        try {
            HostPolicy.forBinding("127.0.0.1", true, List.of(allowedHost));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("--allowed-host"), e.getMessage());
            return;
        }
        throw new AssertionError("--allowed-host \"" + allowedHost + "\" was accepted");
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
