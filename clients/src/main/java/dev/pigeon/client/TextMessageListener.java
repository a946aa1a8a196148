package dev.pigeon.client;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A JDK {@link WebSocket.Listener} that hands over whole text messages (the JDK may deliver one in
 * parts), asking for one message at a time so that a slow receiver holds the sender back.
 */
public abstract class TextMessageListener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    /** One whole text message, in arrival order, on the WebSocket's thread. */
    protected abstract void received(String message);

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String message = text.toString();
            text.setLength(0);
            received(message);
        }
        webSocket.request(1);
        return null;
    }
}
