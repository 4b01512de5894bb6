package io.trainscope.server.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainscope.nn.Kernels;
import io.trainscope.point.Column;
import io.trainscope.point.Kind;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} shows, in the Prometheus text format (docs/security.md lists every metric).
 * One Micrometer registry holds the server's own meters and, when Vert.x was built by {@link #vertx}, its HTTP
 * and event-bus meters; every name has the {@code trainscope_} prefix, Vert.x's included.
 *
 * <p>Runs are read from the {@link RunsView} when scraped, not pushed on every change: the training loop
 * never touches a meter. Counters are bumped by the HTTP verticle on its event loop.
 */
public final class ServerMetrics {

    static final String PREFIX = "trainscope.";

    /**
     * Vert.x registers its connection gauges again for each server and client on purpose, and Micrometer warns
     * about it once per process ("This Gauge has been already registered"): a warning at every start that
     * points at nothing wrong (vert-x3/vertx-micrometer-metrics#259, micrometer#6931). Held here, because a
     * logger whose level was set and that nobody references can be collected, level and all.
     */
    private static final java.util.logging.Logger REREGISTRATION_WARNING = quiet("io.micrometer.core.instrument.MeterRegistry");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    /**
     * The HTTP methods a request's {@code method} label may name; any other (a client may invent them: {@code
     * X000001ZZ /health}) is counted as {@code OTHER}, so that no client can add a label value, which is a meter kept
     * for the life of the process: 50,000 invented methods once exhausted a 128 MB heap through {@code /metrics}.
     */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT",
            "TRACE");
    /** A backstop for any other label a client could steer: past this many values, new meters are not made. */
    static final int MAX_TAG_VALUES = 64;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter sent;
    private final Counter dropped;
    private RunsView runs;
    private MultiGauge runRate;
    private MultiGauge runIteration;
    /** One gauge per column of the point schema, a row per live run (and per layer for a per-layer column). */
    private final Map<Column, MultiGauge> columns = new LinkedHashMap<>();

    public ServerMetrics() {
        // Vert.x's meters are named vertx_…; the prefix makes every name of /metrics trainscope_…. It is added
        // when names are written out, not to the meters (a MeterFilter): Vert.x finds its gauges again by name.
        registry.config().meterFilter(MeterFilter.replaceTagValues("method", m -> METHODS.contains(m) ? m : "OTHER"));
        for (String label : List.of("method", "code")) {
            registry.config().meterFilter(MeterFilter.maximumAllowableTags("vertx.http", label, MAX_TAG_VALUES,
                    MeterFilter.deny()));
        }
        NamingConvention prometheus = registry.config().namingConvention();
        registry.config().namingConvention(new NamingConvention() {
            @Override
            public String name(String name, Meter.Type type, String unit) {
                return prometheus.name(name.startsWith(PREFIX) ? name : PREFIX + name, type, unit);
            }

            @Override
            public String tagKey(String key) {
                return prometheus.tagKey(key);
            }

            @Override
            public String tagValue(String value) {
                return prometheus.tagValue(value);
            }
        });
        sent = Counter.builder(PREFIX + "messages.sent").description("messages written to viewers' WebSockets")
                .register(registry);
        dropped = Counter.builder(PREFIX + "messages.dropped")
                .description("live updates not written to a viewer whose socket was full (it catches up later)")
                .register(registry);
        // Made here, before Vert.x starts, so that loading a native library never blocks an event loop.
        Gauge.builder(PREFIX + "matrix.products.info", () -> 1).tag("kernels", Kernels.description())
                .strongReference(true).description("what computes the matrix products (always 1)").register(registry);
        // The process itself (heap, threads, CPU time, descriptors), so that a load test can tell what its viewers
        // cost the server. None of these binders holds a listener: a registry dropped with its server is collected.
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Vert.x with its own meters (HTTP server, event bus) in this registry, named {@code trainscope_vertx_…}. */
    public static Vertx vertx(VertxOptions options, ServerMetrics metrics) {
        return Vertx.builder()
                // The event bus here is local and internal; its meters would only add noise.
                .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry))
                .build();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Gauges over the server's runs and viewers; called once when the HTTP verticle starts. */
    void bind(RunsView runs, IntSupplier viewers) {
        this.runs = runs;
        for (RunStatus status : RunStatus.values()) {
            Gauge.builder(PREFIX + "runs", runs, r -> count(r, status)).tag("status", status.wire())
                    .strongReference(true).description("runs of this server by status").register(registry);
        }
        Gauge.builder(PREFIX + "iterations.per.second", runs, ServerMetrics::totalRate)
                .strongReference(true).description("training iterations per second, all live runs together").register(registry);
        Gauge.builder(PREFIX + "viewers", viewers, IntSupplier::getAsInt)
                .strongReference(true).description("WebSocket viewers connected").register(registry);
        runRate = MultiGauge.builder(PREFIX + "run.iterations.per.second")
                .description("a live run's training rate").register(registry);
        for (Column column : Schema.COLUMNS) {
            columns.put(column, MultiGauge.builder(PREFIX + "run." + dotted(column.csvStem()))
                    .description("a live run's latest " + column.name() + (column.kind() == Kind.RUN ? "" : " (per layer)"))
                    .register(registry));
        }
        runIteration = MultiGauge.builder(PREFIX + "run.iteration")
                .description("a live run's iterations done").register(registry);
    }

    void sent() {
        sent.increment();
    }

    void dropped() {
        dropped.increment();
    }

    /** A history message: {@code join}, {@code catchUp}, {@code request}, or {@code export} (REST download). */
    void history(String purpose) {
        Counter.builder(PREFIX + "history.requests").tag("purpose", purpose)
                .description("history sent: to joining, catching-up or zooming viewers, as a REST export, or a viewer up to a minute behind brought up to date from the recent live updates, sent again or as one message of their points (recent)")
                .register(registry).increment();
    }

    /**
     * A history read and encoded for viewers, on a worker: one for every viewer that shares it, so that this against
     * {@link #history} says how much sharing saved.
     */
    void historyRead() {
        Counter.builder(PREFIX + "history.reads")
                .description("histories read and encoded for viewers; one shared by many viewers counts once")
                .register(registry).increment();
    }

    /** A request refused by a limit or the access rules, by reason ({@code token}, {@code origin}, …). */
    public void refused(String reason) {
        Counter.builder(PREFIX + "refused").tag("reason", reason)
                .description("requests and messages refused by access rules or limits")
                .register(registry).increment();
    }

    /** {@code GET /metrics}: the live runs' rows brought up to date, then Vert.x's scraping handler. */
    Handler<RoutingContext> scrape() {
        Handler<RoutingContext> prometheus = PrometheusScrapingHandler.create(registry);
        return ctx -> {
            refreshRuns();
            prometheus.handle(ctx);
        };
    }

    private void refreshRuns() {
        if (runs == null) {
            return;
        }
        List<MultiGauge.Row<?>> rate = new ArrayList<>();
        List<MultiGauge.Row<?>> iteration = new ArrayList<>();
        Map<Column, List<MultiGauge.Row<?>>> values = new LinkedHashMap<>();
        columns.keySet().forEach(c -> values.put(c, new ArrayList<>()));
        for (RunView run : runs.list()) {
            RunSnapshot s = run.snapshot();
            if (s.status().live()) {
                Tags tags = Tags.of("run", s.id());
                rate.add(MultiGauge.Row.of(tags, s.itPerSec()));
                iteration.add(MultiGauge.Row.of(tags, s.iteration()));
                Points latest = s.latest();
                for (Column column : columns.keySet()) {
                    int width = column.kind().width(s.depth());
                    for (int k = 0; k < width; k++) {
                        double value = latest.isEmpty() ? Double.NaN : latest.value(column, k, 0);
                        if (column.optional() && Double.isNaN(value)) {
                            continue;
                        }
                        values.get(column).add(MultiGauge.Row.of(column.kind() == Kind.RUN ? tags
                                : tags.and("layer", String.valueOf(k + 1)), value));
                    }
                }
            }
        }
        runRate.register(rate, true);
        runIteration.register(iteration, true);
        columns.forEach((column, gauge) -> gauge.register(values.get(column), true));
    }

    /** {@code weightNorm} as a meter name's words, {@code weight.norm}, which Prometheus writes weight_norm. */
    static String dotted(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static double count(RunsView runs, RunStatus status) {
        return runs.list().stream().filter(r -> r.snapshot().status() == status).count();
    }

    private static double totalRate(RunsView runs) {
        return runs.list().stream().map(RunView::snapshot).filter(s -> s.status().live())
                .mapToDouble(RunSnapshot::itPerSec).sum();
    }
}
