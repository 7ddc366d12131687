package dev.anonymoususers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Programs a test runs as a user would (node, java, npm, tar), each given two minutes. */
public final class Commands {

    private Commands() {
    }

    /** How a program ended: its exit value and all it printed (standard output and error). */
    public record Ended(int exitValue, String output) {
    }

    public static Ended execute(List<String> command, Path directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile("command", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("Did not finish: " + String.join(" ", command));
            }
            return new Ended(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).trim());
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Runs {@code command}, expecting it to succeed, and answers the last line it printed. */
    public static String lastLine(List<String> command, Path directory) throws IOException, InterruptedException {
        Ended ended = execute(command, directory);
        assertThat(ended.exitValue()).as(String.join(" ", command) + "\n" + ended.output()).isZero();
        return ended.output().lines().reduce((first, last) -> last).orElse("");
    }
}
