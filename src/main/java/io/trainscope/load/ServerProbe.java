package io.trainscope.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the load tool asks the server over HTTP: its runs, one run's progress, {@code /metrics}, and a start or stop
 * of the run it started itself. With a token every request carries {@code Authorization: Bearer} (a private
 * server wants it for reads too). A busy server may answer late: every request is bounded by {@link #TIMEOUT}.
 */
final class ServerProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ServerProbe(Target target) {
        this.target = target;
    }

    /** Throws, naming the URL, when nothing answers there as trainscope does. */
    void health() throws LoadException {
        HttpResponse<String> answer = get("/health");
        if (answer.statusCode() != 200) {
            throw new LoadException(target.httpBase() + "/health answered " + answer.statusCode()
                    + ": is this a trainscope server?");
        }
    }

    /** The run to follow: {@code id}, or the server's running run when null. */
    String liveRun(String id) throws LoadException {
        if (id != null) {
            RunSample run = run(id);
            if (!run.live()) {
                throw new LoadException("run " + id + " is " + run.status() + ": only a live run has updates to measure");
            }
            return id;
        }
        for (JsonNode run : json(get("/api/runs"), "/api/runs")) {
            if ("running".equals(run.path("status").asText())) {
                return run.path("id").asText();
            }
        }
        throw new LoadException("the server has no running run: start one (the page, POST /api/runs) or give"
                + " --start SPEC.json");
    }

    RunSample run(String id) throws LoadException {
        HttpResponse<String> answer = get("/api/runs/" + id);
        if (answer.statusCode() == 404) {
            throw new LoadException("the server has no run " + id);
        }
        JsonNode run = json(answer, "/api/runs/" + id);
        return new RunSample(run.path("status").asText(), run.path("iteration").asLong(),
                run.path("elapsedMs").asLong(), run.path("itPerSec").asDouble(Double.NaN));
    }

    /** {@code /metrics}, or {@link Scrape#NONE} when the server did not answer in time. */
    Scrape metrics() {
        try {
            HttpResponse<String> answer = get("/metrics");
            return answer.statusCode() == 200 ? Scrape.parse(answer.body(), System.currentTimeMillis()) : Scrape.NONE;
        } catch (LoadException e) {
            return Scrape.NONE;
        }
    }

    /** Starts a run from {@code spec} (JSON) and returns its id. */
    String start(String spec) throws LoadException {
        HttpResponse<String> answer = send(request("/api/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build());
        if (answer.statusCode() != 201) {
            throw new LoadException("the server refused the run (" + answer.statusCode() + "): " + error(answer));
        }
        return json(answer, "POST /api/runs").path("id").asText();
    }

    void stop(String id) throws LoadException {
        HttpResponse<String> answer = send(request("/api/runs/" + id + "/stop")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (answer.statusCode() / 100 != 2 && answer.statusCode() != 409) {
            throw new LoadException("could not stop run " + id + " (" + answer.statusCode() + "): " + error(answer));
        }
    }

    private HttpResponse<String> get(String path) throws LoadException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.httpBase() + path)).timeout(TIMEOUT);
        return target.token() == null ? request : request.header("Authorization", "Bearer " + target.token());
    }

    private HttpResponse<String> send(HttpRequest request) throws LoadException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoadException("no answer from " + target.httpBase() + request.uri().getPath() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    private static JsonNode json(HttpResponse<String> answer, String what) throws LoadException {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new LoadException(what + " did not answer JSON (" + answer.statusCode() + ")");
        }
    }

    private static String error(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body()).path("error").asText(answer.body());
        } catch (IOException e) {
            return answer.body();
        }
    }
}
