package io.trainscope.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A message's head, read as the server writes it (server/Messages), whole or cut anywhere. */
class MessageHeadTest {

    static final String METRICS = "{\"type\":\"metrics\",\"runId\":\"rmx4md264-1\",\"time\":1796124852934,\"from\":480,"
            + "\"to\":503,\"downsampled\":false,\"itPerSec\":49.2,\"elapsedMs\":10049,\"points\":[{\"iteration\":480,"
            + "\"cost\":0.69}]}";

    private static MessageHead parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return MessageHead.parse(bytes, Math.min(bytes.length, MessageHead.MAX_BYTES));
    }

    @Test
    void readsTypeRunAndTimeOfAnUpdate() {
        MessageHead head = parse(METRICS);
        assertEquals("metrics", head.type());
        assertEquals("rmx4md264-1", head.runId());
        assertEquals(1796124852934L, head.time());
        assertNull(head.purpose());
    }

    @Test
    void readsThePurposeOfAHistory() {
        MessageHead head = parse("{\"type\":\"history\",\"runId\":\"r-1\",\"purpose\":\"catchUp\",\"from\":0,\"to\":9,"
                + "\"downsampled\":false,\"points\":[]}");
        assertTrue(head.is("history"));
        assertEquals("catchUp", head.purpose());
        assertEquals(MessageHead.NO_TIME, head.time());
    }

    /** Whatever the cut, a field is read whole or not at all: never a shorter id or a truncated time. */
    @Test
    void aHeadCutAnywhereNeverMisreadsAField() {
        byte[] bytes = METRICS.getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length <= bytes.length; length++) {
            MessageHead head = MessageHead.parse(bytes, length);
            assertTrue(head.type() == null || head.type().equals("metrics"), "type at " + length);
            assertTrue(head.runId() == null || head.runId().equals("rmx4md264-1"), "runId at " + length);
            assertTrue(head.time() == MessageHead.NO_TIME || head.time() == 1796124852934L, "time at " + length);
        }
        // The time is followed by a comma, so it is known once that comma has arrived.
        int afterTime = METRICS.indexOf(",\"from\"") + 1;
        assertEquals(1796124852934L, MessageHead.parse(bytes, afterTime).time());
        assertEquals(MessageHead.NO_TIME, MessageHead.parse(bytes, afterTime - 2).time());
    }

    @Test
    void spacesOrderAndLiteralsDoNotMatter() {
        MessageHead head = parse("{ \"downsampled\" : true, \"time\" : 12 ,\n\"note\": null, \"runId\": \"a\", \"type\": \"metrics\" }");
        assertEquals("metrics", head.type());
        assertEquals("a", head.runId());
        assertEquals(12, head.time());
    }

    @Test
    void stopsAtTheFirstValueItDoesNotRead() {
        MessageHead head = parse("{\"type\":\"hello\",\"limits\":{\"pushRate\":20},\"runId\":\"never\"}");
        assertEquals("hello", head.type());
        assertNull(head.runId());
        assertNull(parse("{\"type\":\"me\\\"trics\",\"runId\":\"a\"}").type(), "an escaped string is not read");
    }

    @Test
    void aTimeThatIsNotAWholeNumberIsAbsent() {
        assertEquals(MessageHead.NO_TIME, parse("{\"type\":\"metrics\",\"time\":1.5e3,\"x\":1}").time());
        assertEquals(MessageHead.NO_TIME, parse("{\"type\":\"metrics\",\"time\":\"12\",\"x\":1}").time());
        assertEquals(-5, parse("{\"time\":-5,\"x\":1}").time());
    }

    @Test
    void whatIsNotAJsonObjectHasNoHead() {
        assertNull(parse("[1,2]").type());
        assertNull(parse("").type());
        assertNull(parse("\u0001\u0002binary").type());
    }
}
