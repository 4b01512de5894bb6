package io.trainscope.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL a load test is aimed at: the page's or the socket's, loopback only, the token never shown. */
class TargetTest {

    @Test
    void thePagesUrlLeadsToItsSocket() {
        Target t = Target.parse("http://127.0.0.1:8080/?token=s3cr%2Bt", null, null);
        assertEquals("127.0.0.1", t.host());
        assertEquals(8080, t.port());
        assertEquals("/ws", t.wsPath());
        assertEquals("s3cr+t", t.token());
        assertEquals("/ws?token=s3cr%2Bt", t.wsUri());
        assertEquals("http://127.0.0.1:8080", t.httpBase());
    }

    @Test
    void aSocketUrlKeepsItsPathAndTheQueryIsAppended() {
        Target t = Target.parse("ws://localhost:9000/ws", "encoding=columns", null);
        assertEquals("/ws?encoding=columns", t.wsUri());
        Target withToken = Target.parse("ws://[::1]:9000/ws?token=t", "a=1&b=2", null);
        assertEquals("::1", withToken.host());
        assertEquals("/ws?token=t&a=1&b=2", withToken.wsUri());
        assertEquals("http://[::1]:9000", withToken.httpBase());
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenTheUrlHasNone() {
        assertEquals("env", Target.parse("http://127.0.0.1:1/", null, "env").token());
        assertEquals("url", Target.parse("http://127.0.0.1:1/?token=url", null, "env").token());
        assertNull(Target.parse("http://127.0.0.1:1/", null, "").token());
    }

    @Test
    void theTokenIsNeverShown() {
        String shown = Target.parse("http://127.0.0.1:8080/?token=s3cret", "encoding=columns", null).shown();
        assertFalse(shown.contains("s3cret"), shown);
        assertEquals("ws://127.0.0.1:8080/ws?token=…&encoding=columns", shown);
    }

    @Test
    void onlyLoopbackIsTaken() {
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
                () -> Target.parse("http://10.1.2.3:8080/", null, null));
        assertTrue(remote.getMessage().contains("not a loopback address"), remote.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Target.parse("http://0.0.0.0:8080/", null, null));
        assertTrue(Target.loopback("127.0.0.2"));
        assertTrue(Target.loopback("localhost"));
    }

    @Test
    void otherSchemesAndBadUrlsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Target.parse("https://127.0.0.1:8443/", null, null))
                .getMessage().contains("https://"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("127.0.0.1:8080", null, null));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("http://127.0.0.1:99999/", null, null));
    }
}
