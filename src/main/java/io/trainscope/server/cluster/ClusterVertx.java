package io.trainscope.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A clustered Vert.x instance from a {@link ClusterConfig}: Hazelcast for membership and subscriptions, the event
 * bus's own TCP connections (over TLS with client authentication when a certificate is given) for messages.
 */
public final class ClusterVertx {

    /** Held: JUL keeps loggers weakly, and a level set on a collected logger is lost. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    /** Two warnings at every start that say nothing about this cluster: no --add-opens, and no CP subsystem (unused). */
    private static final java.util.List<Logger> ROUTINE = java.util.List.of(
            Logger.getLogger("com.hazelcast.instance.impl.HazelcastInstanceFactory"),
            Logger.getLogger("com.hazelcast.cp.CPSubsystem"));
    /**
     * Heartbeats every second, a member silent for 5 s is removed: a killed node's runs read {@code interrupted}
     * within 10 s (Hazelcast's default is 60 s).
     */
    static final int HEARTBEAT_SECONDS = 1;
    static final int MAX_NO_HEARTBEAT_SECONDS = 5;

    private ClusterVertx() {
    }

    /** Joins the cluster; {@code metrics} gets Vert.x's meters as {@link ServerMetrics#vertx} gives them. */
    public static Future<Vertx> start(ClusterConfig cluster, VertxOptions options, ServerMetrics metrics) {
        Config hazelcast;
        try {
            hazelcast = hazelcast(cluster);
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(e);
        }
        EventBusOptions bus = options.getEventBusOptions()
                .setHost(cluster.host()).setPort(cluster.busPort()).setClusterPublicHost(cluster.host());
        if (cluster.tls() != null) {
            bus.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cluster.tls().certificate().toString())
                            .setKeyPath(cluster.tls().key().toString()))
                    .setTrustOptions(new PemTrustOptions().addCertPath(cluster.tls().ca().toString()))
                    .setClientAuth(ClientAuth.REQUIRED);
        }
        VertxBuilder builder = Vertx.builder();
        if (metrics != null) {
            builder.with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
                    .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
        } else {
            builder.with(options);
        }
        return builder.withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
    }

    /** Hazelcast's configuration: the file given, or TCP-IP join on the members, multicast off. */
    static Config hazelcast(ClusterConfig cluster) throws IOException {
        if (HAZELCAST_LOG.getLevel() == null) {
            // Its INFO lines (members joining, partitions moving) are many and routine; warnings still show.
            HAZELCAST_LOG.setLevel(Level.WARNING);
            ROUTINE.forEach(logger -> logger.setLevel(Level.SEVERE));
        }
        Config config;
        if (cluster.configFile() != null) {
            String file = cluster.configFile().toString();
            config = file.toLowerCase(Locale.ROOT).endsWith(".xml") ? new XmlConfigBuilder(file).build()
                    : new YamlConfigBuilder(file).build();
        } else {
            config = new Config().setClusterName(cluster.name());
            NetworkConfig network = config.getNetworkConfig()
                    .setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(ClusterConfig.PORT_COUNT);
            String address = InetAddress.getByName(cluster.host()).getHostAddress();
            network.getInterfaces().setEnabled(true).addInterface(address);
            config.setProperty("hazelcast.socket.bind.any", "false");
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
            config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(ClusterConfig.PORT_COUNT));
        }
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // The first member waits 5 s for others before it forms a cluster by default: one is enough here.
        setIfAbsent(config, "hazelcast.wait.seconds.before.join", "0");
        setIfAbsent(config, "hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
        setIfAbsent(config, "hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
        // A healed partition merges within seconds (the default waits minutes).
        setIfAbsent(config, "hazelcast.merge.first.run.delay.seconds", "5");
        setIfAbsent(config, "hazelcast.merge.next.run.delay.seconds", "5");
        // What Vert.x's own default-cluster.xml declares for its subscriptions and node records.
        if (!config.getMultiMapConfigs().containsKey("__vertx.subs")) {
            config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                    .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        }
        for (String map : new String[] {"__vertx.haInfo", "__vertx.nodeInfo"}) {
            if (!config.getMapConfigs().containsKey(map)) {
                config.addMapConfig(new MapConfig(map).setBackupCount(1));
            }
        }
        return config;
    }

    private static void setIfAbsent(Config config, String property, String value) {
        if (config.getProperty(property) == null) {
            config.setProperty(property, value);
        }
    }
}
