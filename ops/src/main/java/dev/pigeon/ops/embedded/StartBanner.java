package dev.pigeon.ops.embedded;

import dev.pigeon.ops.config.ConfigSource;
import dev.pigeon.ops.config.PigeonConfig;
import dev.pigeon.ops.config.Setting;

import java.util.ArrayList;
import java.util.List;

/** What a starting node tells its operator: where to connect, and which demo credentials are in use. */
final class StartBanner {

    private StartBanner() {
    }

    static List<String> lines(PigeonConfig config, int port, int adminPort) {
        String host = urlHost(config.get(PigeonConfig.BIND_HOST));
        String web = "http://" + host + ":" + port;
        String admin = "http://" + host + ":" + adminPort;
        List<String> lines = new ArrayList<>();
        lines.add("Pigeon is up: node " + config.get(PigeonConfig.NODE_ID) + ", region " + config.get(PigeonConfig.REGION)
                + ", data in " + config.dataDir().toAbsolutePath().normalize());
        lines.add("  demo page  " + web + "/");
        lines.add("  dev token  curl -X POST '" + web + "/v1/dev/token?user=alice'");
        lines.add("  WebSocket  ws://" + host + ":" + port + "/v1/ws?token=TOKEN  (subprotocol pigeon.v1.json)");
        lines.add("  admin API  " + admin + "/admin/stats  (Authorization: Bearer ADMIN_TOKEN)");
        lines.add("  metrics    " + admin + "/metrics");
        List<String> configured = PigeonConfig.ALL.stream()
                .filter(s -> config.source(s) != ConfigSource.DEFAULT)
                .map(s -> describe(config, s))
                .toList();
        if (!configured.isEmpty()) {
            lines.add("  settings   " + String.join(", ", configured));
        }
        return lines;
    }

    /** One warning per published demo credential in use; none when both were configured. */
    static List<String> demoCredentialWarnings(PigeonConfig config) {
        List<String> warnings = new ArrayList<>();
        if (config.source(PigeonConfig.JWT_SECRET) == ConfigSource.DEFAULT) {
            warnings.add("DEMO ONLY: tokens are signed with the published secret '" + PigeonConfig.DEMO_JWT_SECRET
                    + "'; set --jwt-secret (PIGEON_JWT_SECRET) for anything but a local demo");
        }
        if (config.source(PigeonConfig.ADMIN_TOKEN) == ConfigSource.DEFAULT) {
            warnings.add("DEMO ONLY: the admin token is the published '" + PigeonConfig.DEMO_ADMIN_TOKEN
                    + "'; set --admin-token (PIGEON_ADMIN_TOKEN) for anything but a local demo");
        }
        return warnings;
    }

    private static <T> String describe(PigeonConfig config, Setting<T> setting) {
        return setting.key() + "=" + setting.display(config.get(setting)) + " (" + config.source(setting) + ")";
    }

    /** A wildcard bind address is not something to browse to. */
    private static String urlHost(String bindHost) {
        if (bindHost.equals("0.0.0.0") || bindHost.equals("::")) {
            return "localhost";
        }
        return bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
    }
}
