package dev.pigeon.ops.chat;

import dev.pigeon.client.ConnectionState;
import dev.pigeon.client.PigeonClient;
import dev.pigeon.client.PigeonListener;
import dev.pigeon.client.TransportKind;
import dev.pigeon.ops.config.DurationConverter;
import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.Frame;
import dev.pigeon.protocol.ProtocolException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code pigeon chat}: an interactive chat in the terminal on the Java SDK. Each line typed is sent;
 * incoming messages are printed and marked read; {@code sent} acknowledgements and the other side's
 * read receipts are shown. End of input (Ctrl-D) or {@code /quit} leaves, once queued lines are out
 * (what is still queued then goes out on the next start).
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat from the terminal: type a line to send it; shows sent and read receipts.")
public final class ChatCommand implements Callable<Integer> {
    private static final String QUIT = "/quit";

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", defaultValue = "http://localhost:8080", description = "The node's URL (default: ${DEFAULT-VALUE}).")
    private URI server;

    @Option(names = "--user", required = true, description = "Who you are.")
    private String user;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Peer peer;

    @Option(names = "--token", description = "Your token; without one, a demo node is asked for a dev token.")
    private String token;

    @Option(names = "--device", defaultValue = "cli", description = "This device's name (default: ${DEFAULT-VALUE}).")
    private String device;

    @Option(names = "--state-dir", description = "Where the send queue and position are kept (default: ~/.pigeon/clients).")
    private Path stateDir;

    @Option(names = "--transport", split = ",", converter = TransportConverter.class,
            description = "Transports to use, best first: websocket, sse, long-poll (default: all three).")
    private List<TransportKind> transports;

    @Option(names = "--drain-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait on leaving for queued lines to go out (default: ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    static final class Peer {
        @Option(names = "--to", description = "Chat with this user.")
        String to;

        @Option(names = "--group", description = "Chat in this group.")
        String group;
    }

    private final InputStream input;

    public ChatCommand(InputStream input) {
        this.input = input;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        String conversation = peer.to != null ? ConversationId.direct(user, peer.to).value()
                : ConversationId.group(peer.group).value();
        PrintWriter out = spec.commandLine().getOut();
        ChatScreen screen = new ChatScreen(out, user, conversation);
        PigeonClient.Builder builder = PigeonClient.builder().server(server).user(user).device(device)
                .listener(screen).startAtHead(true);
        builder = token != null ? builder.token(token) : builder.devTokens();
        if (stateDir != null) {
            builder.stateDir(stateDir);
        }
        if (transports != null && !transports.isEmpty()) {
            builder.transports(transports.toArray(TransportKind[]::new));
        }
        try (PigeonClient client = builder.build()) {
            screen.attach(client);
            client.connect();
            screen.print("* chatting in " + conversation + " as " + user + "; " + QUIT + " or end of input to leave");
            BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null && !line.equals(QUIT); line = lines.readLine()) {
                if (!line.isBlank()) {
                    send(client, screen, conversation, line);
                }
            }
            screen.awaitDrained(client, drainTimeout);
        }
        return 0;
    }

    private static void send(PigeonClient client, ChatScreen screen, String conversation, String line) {
        try {
            client.send(conversation, line);
        } catch (ProtocolException e) {
            screen.print("! not sent (" + e.code().wireName() + "): " + e.getMessage());
        }
    }

    /** What the chat prints, from the client's event thread and the input loop alike. */
    static final class ChatScreen implements PigeonListener {
        private final PrintWriter out;
        private final String user;
        private final String conversation;
        private volatile PigeonClient client;

        ChatScreen(PrintWriter out, String user, String conversation) {
            this.out = out;
            this.user = user;
            this.conversation = conversation;
        }

        void attach(PigeonClient client) {
            this.client = client;
        }

        synchronized void print(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        public void onMessage(Frame.Msg message) {
            if (!message.conversation().equals(conversation)) {
                print("* " + message.from() + " in " + message.conversation() + ": " + message.body());
            } else if (!message.from().equals(user)) {
                print("[" + message.convSeq() + "] " + message.from() + ": " + message.body());
                client.read(conversation, message.convSeq());
            }
        }

        @Override
        public void onSent(Frame.Sent sent) {
            print("  (sent #" + sent.convSeq() + ")");
        }

        @Override
        public void onSendFailed(Frame.Send send, Frame.Error error) {
            print("! not sent (" + error.code() + "): " + error.message());
        }

        @Override
        public void onReceipt(Frame.Receipt receipt) {
            if (receipt.conversation().equals(conversation) && !receipt.user().equals(user)) {
                print("  (read by " + receipt.user() + " up to #" + receipt.readUpTo() + ")");
            }
        }

        @Override
        public void onStateChange(ConnectionState state) {
            switch (state.status()) {
                case OPEN -> print("* connected over " + state.transport().name().toLowerCase().replace('_', '-'));
                case OFFLINE -> print("* offline; reconnecting (lines typed now are queued)");
                default -> { }
            }
        }

        /** Waits, up to {@code timeout}, until nothing is queued. */
        void awaitDrained(PigeonClient client, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            CountDownLatch never = new CountDownLatch(1);
            while (!client.queued().isEmpty() && System.nanoTime() < deadline) {
                never.await(50, TimeUnit.MILLISECONDS);
            }
            if (!client.queued().isEmpty()) {
                print("* " + client.queued().size() + " line(s) still queued; they go out next time");
            }
        }
    }

    /** Transport names as the protocol's paths spell them: {@code websocket} (or {@code ws}), {@code sse}, {@code long-poll}. */
    static final class TransportConverter implements picocli.CommandLine.ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "ws", "websocket" -> TransportKind.WEBSOCKET;
                case "sse" -> TransportKind.SSE;
                case "poll", "long-poll" -> TransportKind.LONG_POLL;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a transport: websocket, sse or long-poll");
            };
        }
    }
}
