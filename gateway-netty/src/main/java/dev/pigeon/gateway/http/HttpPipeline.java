package dev.pigeon.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

import java.time.Duration;

/**
 * The HTTP layer of a port's pipeline: codec, request timeout, body aggregation, optional extra
 * handlers (CORS), then the API handler. Handlers are named, so a transport can take the connection
 * over ({@link #leaveHttp}).
 */
public final class HttpPipeline {
    public static final String CODEC = "http-codec";
    public static final String TIMEOUT = "http-timeout";
    public static final String AGGREGATOR = "http-aggregator";
    public static final String CORS = "http-cors";
    public static final String API = "http-api";

    private HttpPipeline() {
    }

    /** Builds the HTTP pipeline; {@code cors} may be null. */
    public static void install(ChannelPipeline pipeline, Duration requestTimeout, BodyLimitAggregator aggregator,
                               ChannelHandler cors, HttpApiHandler api) {
        pipeline.addLast(CODEC, new HttpServerCodec());
        pipeline.addLast(TIMEOUT, new RequestTimeoutHandler(requestTimeout));
        pipeline.addLast(AGGREGATOR, aggregator);
        if (cors != null) {
            pipeline.addLast(CORS, cors);
        }
        pipeline.addLast(API, api);
    }

    /**
     * Removes the handlers that serve HTTP requests (timeout, CORS, API), leaving codec and aggregator
     * for a WebSocket handshake to replace. Call from the API handler while it hands the request on.
     */
    public static void leaveHttp(ChannelPipeline pipeline) {
        removeIfPresent(pipeline, TIMEOUT);
        removeIfPresent(pipeline, CORS);
        removeIfPresent(pipeline, API);
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) {
            pipeline.remove(name);
        }
    }
}
