package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new LoadCommand());
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        return command.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--sessions 7 --rate 10",
            "--sessions 0",
            "--rate -1",
            "--duration 0",
            "--duration 2h",
            "--duration soon",
            "--body-bytes 70000",
            "--connect-rate 0",
            "--processes 0",
            "--url wss://127.0.0.1:8443/v1/ws",
            "--url ws://127.0.0.1:8080/v1/ws,ws://127.0.0.1:8080/v1/ws",
            "--url ws://127.0.0.1:8080/v1/ws,http://127.0.0.1:8081/v1/ws",
            "--group-members 1",
            "--group-members 500 --messages 0",
            "--group-members 500 --warmup-messages -1",
            "--group-members 500 --message-interval soon",
            "--group-members 500 --rate 10",
            "--group-members 500 --sessions 10",
            "--group-members 500 --processes 2",
            "--group-members 500 --duration 10s",
            "--messages 10",
            "--message-interval 50ms",
            "--gateway-pid 12,x"})
    void refusesAPlanItCannotRun(String args) {
        assertThat(run(args.split(" "))).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isNotBlank();
    }

    @Test
    void saysWhichOptionDoesNotFitTheMode() {
        run("--group-members", "500", "--rate", "10");
        assertThat(err.toString()).contains("--rate does not apply to a group fan-out");

        run("--messages", "10");
        assertThat(err.toString()).contains("--messages applies to a group fan-out only");
    }

    @Test
    void documentsItsOptions() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new LoadCommand());
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("--help")).isZero();
        assertThat(out.toString()).contains("--url", "--sessions", "--rate", "--duration", "--warmup", "--body-bytes",
                "--connect-rate", "--processes", "--gateway-pid", "--jwt-secret", "--group-members", "--messages",
                "--warmup-messages", "--message-interval").doesNotContain("--child");
    }
}
