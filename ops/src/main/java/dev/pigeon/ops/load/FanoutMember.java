package dev.pigeon.ops.load;

import io.netty.channel.Channel;

import java.net.URI;
import java.util.function.Supplier;

/** One member of the fan-out group with one WebSocket session; member {@link FanoutPlan#SENDER} also sends. */
final class FanoutMember implements SessionListener {
    private final int index;
    private final String user;
    private final String token;
    private final URI url;
    private final FanoutTally tally;
    private final LoadStats stats;
    private final SessionLife life;
    private final SendFrame sends;

    private volatile Channel channel;

    FanoutMember(int index, String user, String token, URI url, SendFrame sends, FanoutTally tally, LoadStats stats,
                 Runnable onSettled) {
        this.index = index;
        this.user = user;
        this.token = token;
        this.url = url;
        this.sends = sends;
        this.tally = tally;
        this.stats = stats;
        this.life = new SessionLife(stats, onSettled);
    }

    String user() {
        return user;
    }

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
                int message = tally.messageOf(frame.id());
                if (message < 0) {
                    stats.error("foreign_message", () -> user + " got message id " + frame.id() + " from " + frame.from());
                    return;
                }
                tally.delivered(index, message, receivedNanos);
                if (index != FanoutPlan.SENDER) {
                    stats.delivered(MessageBody.scheduledNanos(frame.body()), receivedNanos);
                }
            }
            case "sent" -> {
                int message = tally.messageOf(frame.id());
                if (message >= 0) {
                    tally.acked(message, receivedNanos);
                }
            }
            case "error" -> {
                stats.error(frame.errorCode(), () -> user + ": " + frame.describeError());
                int message = frame.ref() == null ? -1 : tally.messageOf(frame.ref());
                if (message >= 0) {
                    tally.refused(message);
                }
            }
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

    /** Writes message {@code message}, whose send time {@code nanos} its body carries. */
    void send(int message, long nanos) {
        sends.send(channel, Integer.toString(message), nanos);
    }

    boolean isOpen() {
        return life.isOpen();
    }

    boolean heldThroughout() {
        return life.heldThroughout();
    }

    void ending() {
        life.ending();
    }
}
