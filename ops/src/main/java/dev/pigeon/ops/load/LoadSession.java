package dev.pigeon.ops.load;

import dev.pigeon.protocol.ConversationId;
import io.netty.channel.Channel;

import java.net.URI;
import java.util.function.Supplier;

/**
 * One simulated user with one WebSocket session, chatting with its pair in their {@code dm:}
 * conversation. Settles once: when its {@code hello} arrives, or when it fails before that.
 */
final class LoadSession implements SessionListener {
    private final String user;
    private final String token;
    private final URI url;
    private final SendFrame sends;
    private final LoadStats stats;
    private final SessionLife life;

    private volatile Channel channel;

    LoadSession(String user, String peer, String token, URI url, MessageBody body, LoadStats stats,
                Runnable onSettled) {
        this.user = user;
        this.token = token;
        this.url = url;
        this.stats = stats;
        this.life = new SessionLife(stats, onSettled);
        this.sends = new SendFrame(ConversationId.direct(user, peer).value(), body, stats);
    }

    /** Starts connecting to this session's gateway. */
    void connect(LoadClient client) {
        channel = client.connect(url, token, this);
    }

    @Override
    public void opened() {
        life.opened();
    }

    @Override
    public void received(ServerFrameReader.ServerFrame frame, long receivedNanos) {
        switch (frame.type()) {
            case "msg" -> {
                if (!user.equals(frame.from())) {
                    stats.delivered(MessageBody.scheduledNanos(frame.body()), receivedNanos);
                }
            }
            case "sent" -> stats.acked(Long.parseLong(frame.id()));
            case "error" -> stats.error(frame.errorCode(), frame::describeError);
            default -> {
                // pong, receipt and other frames carry nothing the run counts
            }
        }
    }

    @Override
    public void error(String code, Supplier<String> detail) {
        stats.error(code, () -> user + ": " + detail.get());
    }

    @Override
    public void closed(String closeCode) {
        life.closed(closeCode);
    }

    /**
     * Sends the message scheduled at {@code dueNanos}; its client id is that time too, unique per
     * sender, which lets its {@code sent} be matched to the schedule without any lookup.
     */
    void send(long dueNanos) {
        Channel ch = channel;
        if (!life.isOpen() || ch == null) {
            stats.error("not_connected", () -> user + " had no open session when a send was due");
            return;
        }
        sends.send(ch, Long.toString(dueNanos), dueNanos);
    }

    /** From now on a close is the end of the run, not a disconnect. */
    void ending() {
        life.ending();
    }
}
