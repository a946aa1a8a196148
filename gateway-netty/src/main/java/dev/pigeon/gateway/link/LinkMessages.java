package dev.pigeon.gateway.link;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.LogEntry;
import dev.pigeon.router.SessionInfo;

import java.util.List;
import java.util.Map;

/**
 * The region link's paths and JSON bodies, shared by its server ({@link LinkEndpoints}) and its
 * client ({@link HttpRegionLink}). Frames and log entries inside them have their PROTOCOL.md shape;
 * deliveries have their node-bus shape ({@link dev.pigeon.router.DeliveryCodec}). Numbers the
 * requests need are boxed, so a missing one is told apart from 0.
 */
final class LinkMessages {
    static final String SEND = "/link/v1/send";
    static final String PLACE = "/link/v1/place";
    static final String DELIVER = "/link/v1/deliver";
    static final String ACK = "/link/v1/ack";
    static final String READ = "/link/v1/read";
    static final String FORGET_HOME = "/link/v1/forget-home";
    static final String STANDING = "/link/v1/standing";
    static final String SESSIONS = "/link/v1/sessions";
    static final String STATS = "/link/v1/stats";
    /** The most users one sessions request may ask about, as for the admin API. */
    static final int MAX_USERS = 1000;

    /** The largest request body the link reads. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private LinkMessages() {
    }

    record SendRequest(String sender, Frame.Send send) {
    }

    record PlaceRequest(String conversation, List<LogEntry> entries) {
    }

    record PlacementBody(Long mark, Map<String, Long> seqs) {
    }

    record DeliverRequest(List<JsonNode> deliveries) {
    }

    record AckRequest(String user, String device, Long upTo) {
    }

    record ReadRequest(String user, String conversation, Long upTo) {
    }

    record ForgetHomeRequest(String kind, String id) {
    }

    record StandingBody(String region, List<String> lostRegions, List<String> nodes) {
    }

    record SessionsRequest(List<String> users) {
    }

    record SessionsBody(Map<String, List<SessionInfo>> sessions) {
    }
}
