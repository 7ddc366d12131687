package dev.anonymoususers.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the statistics of the newest Gatling report under {@code <output>/gatling} and writes
 * {@code <output>/summary.json} (every figure, and the ratios the targets are stated in) and {@code <output>/index.html}
 * (the same as tables and bars, linking to Gatling's own report with its charts). Prints the table as well.
 *
 * <p>Throughput is counted here, not taken from Gatling: the successful sign-ins of an operation divided by the
 * seconds it was measured, since Gatling divides by the length of the whole run. Latencies are Gatling's, of the
 * whole sign-in (a group: every request it takes).
 */
public final class BenchmarkSummary {

    /** The ratios the targets are stated in: ours over Keycloak's, by throughput; higher is better. */
    static final Map<String, Operation[]> RATIOS = new LinkedHashMap<>();
    static final Map<String, Double> TARGETS = new LinkedHashMap<>();
    static {
        ratio("device_signin_vs_session_floor", Operation.DEVICE_SIGN_IN, Operation.SESSION_FLOOR, 0.9);
        ratio("device_signup_vs_session_floor", Operation.DEVICE_SIGN_UP, Operation.SESSION_FLOOR, 0.7);
        // A device's new guest against Keycloak's own cheapest new user: a guest needs no form and no hashing.
        ratio("device_signup_vs_keycloak_new_user", Operation.DEVICE_SIGN_UP, Operation.NEW_USER, 1.5);
        ratio("device_signin_vs_password", Operation.DEVICE_SIGN_IN, Operation.PASSWORD_GRANT, 5.0);
        ratio("web_guest_vs_browser_password_login", Operation.WEB_GUEST, Operation.BROWSER_PASSWORD_LOGIN, 3.0);
        ratio("password_with_vs_without_extension", Operation.PASSWORD_GRANT, Operation.PASSWORD_GRANT_WITHOUT_EXTENSION, 0.97);
        // What binding the tokens to the device key costs a sign-in: one more signature made and checked.
        ratio("device_signin_bound_vs_unbound", Operation.DEVICE_SIGN_IN_BOUND, Operation.DEVICE_SIGN_IN, null);
        ratio("device_signin_bound_vs_session_floor", Operation.DEVICE_SIGN_IN_BOUND, Operation.SESSION_FLOOR, null);
        ratio("device_signin_one_request_vs_with_challenge", Operation.DEVICE_SIGN_IN, Operation.DEVICE_SIGN_IN_WITH_CHALLENGE, null);
        ratio("guest_refresh_vs_refresh", Operation.GUEST_REFRESH, Operation.REFRESH, null);
    }

    private static void ratio(String name, Operation ours, Operation theirs, Double target) {
        RATIOS.put(name, new Operation[] {ours, theirs});
        if (target != null) {
            TARGETS.put(name, target);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Figures(long ok, long failed, double perSecond, double p50, double p99, double mean) {
    }

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[0]);
        Path report = newestReport(output.resolve("gatling"), "signinsimulation-");
        JsonNode stats = JSON.readTree(report.resolve("js/stats.json").toFile());
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        collectGroups(stats, groups);
        List<Integer> clients = SignInSimulation.CLIENTS;
        double seconds = SignInSimulation.MEASURE.toSeconds();

        ObjectNode summary = JSON.createObjectNode();
        summary.put("keycloak", System.getProperty("keycloak.version", ""));
        summary.put("database", "PostgreSQL");
        summary.put("measured_seconds", seconds);
        summary.put("warm_up_seconds", SignInSimulation.WARM_UP.toSeconds());
        summary.put("machine", Runtime.getRuntime().availableProcessors() + " cores; load generator on the same machine");
        summary.put("gatling_report", output.relativize(report.resolve("index.html")).toString());
        ObjectNode operations = summary.putObject("operations");
        Map<Integer, Map<Operation, Figures>> byClients = new LinkedHashMap<>();
        for (int count : clients) {
            Map<Operation, Figures> figures = new LinkedHashMap<>();
            for (Operation operation : Operation.values()) {
                JsonNode group = groups.get(operation.group(count));
                if (group == null) {
                    continue;
                }
                JsonNode s = group.get("stats");
                Figures f = new Figures(s.at("/numberOfRequests/ok").asLong(), s.at("/numberOfRequests/ko").asLong(),
                        s.at("/numberOfRequests/ok").asLong() / seconds, s.at("/percentiles1/ok").asDouble(),
                        s.at("/percentiles4/ok").asDouble(), s.at("/meanResponseTime/ok").asDouble());
                figures.put(operation, f);
                ObjectNode node = operations.with(operation.key);
                node.put("title", operation.title);
                node.with("clients_" + count)
                        .put("ok", f.ok()).put("failed", f.failed())
                        .put("per_second", round(f.perSecond()))
                        .put("p50_ms", f.p50()).put("p99_ms", f.p99()).put("mean_ms", f.mean());
            }
            byClients.put(count, figures);
        }
        ObjectNode ratioByClients = summary.putObject("ratio_by_clients");
        for (int count : clients) {
            ObjectNode node = ratioByClients.putObject(Integer.toString(count));
            RATIOS.forEach((name, pair) -> putRatio(node, name, byClients.get(count), pair));
        }
        // The headline: the ratios at the fewest clients, where the machine is not yet saturated by the load generator.
        summary.set("ratio", ratioByClients.get(Integer.toString(clients.get(0))).deepCopy());
        ObjectNode targets = summary.putObject("targets");
        TARGETS.forEach(targets::put);

        cleanUp(output, summary);

        Files.writeString(output.resolve("summary.json"), JSON.writeValueAsString(summary));
        Files.writeString(output.resolve("index.html"), html(summary, byClients, clients));
        Files.writeString(output.resolve("summary.md"), markdown(summary, byClients, clients));
        System.out.print(table(summary, byClients, clients) + cleanUpTable(summary));
    }

    private static void putRatio(ObjectNode node, String name, Map<Operation, Figures> figures, Operation[] pair) {
        Figures ours = figures.get(pair[0]);
        Figures theirs = figures.get(pair[1]);
        if (ours != null && theirs != null && theirs.perSecond() > 0) {
            node.put(name, round(ours.perSecond() / theirs.perSecond()));
        }
    }

    /**
     * The clean-up's time (its own answer, in clean-up.json) and the p99 of sign-ins during it against without it,
     * from the clean-up simulation's report; nothing where that simulation did not run.
     */
    private static void cleanUp(Path output, ObjectNode summary) throws IOException {
        Path answer = output.resolve("clean-up.json");
        if (!Files.exists(answer)) {
            return;
        }
        JsonNode run = JSON.readTree(answer.toFile());
        ObjectNode cleanUp = summary.putObject("clean_up");
        cleanUp.put("inactive_guests", run.path("guests").asInt());
        cleanUp.put("seconds", run.path("seconds").asDouble());
        cleanUp.put("removed", run.path("removed").asInt());
        cleanUp.put("guests_removed_per_second", round(run.path("removed").asInt() / run.path("seconds").asDouble()));
        cleanUp.put("answer_status", run.path("status").asInt());
        cleanUp.put("final_status", run.path("last_status").asInt());
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        collectGroups(JSON.readTree(newestReport(output.resolve("gatling"), "cleanupsimulation-").resolve("js/stats.json").toFile()), groups);
        for (String[] login : new String[][] {
                {"device_sign_in", CleanUpSimulation.DEVICE_WITHOUT, CleanUpSimulation.DEVICE_DURING},
                {"keycloak_session_floor", CleanUpSimulation.PASSWORD_WITHOUT, CleanUpSimulation.PASSWORD_DURING}}) {
            double without = groups.get(login[1]).at("/stats/percentiles4/ok").asDouble();
            double during = groups.get(login[2]).at("/stats/percentiles4/ok").asDouble();
            cleanUp.put(login[0] + "_p99_ms_without_clean_up", without);
            cleanUp.put(login[0] + "_p99_ms_during_clean_up", during);
            cleanUp.put(login[0] + "_p99_during_vs_without", round(during / without));
            cleanUp.put(login[0] + "_failed_during_clean_up", groups.get(login[2]).at("/stats/numberOfRequests/ko").asLong());
        }
        cleanUp.put("target_p99_during_vs_without_at_most", 2.0);
        Path footprint = output.resolve("footprint.json");
        if (Files.exists(footprint)) {
            summary.set("guest_footprint", JSON.readTree(footprint.toFile()));
        }
    }

    private static Path newestReport(Path gatling, String simulation) throws IOException {
        try (Stream<Path> reports = Files.list(gatling)) {
            return reports.filter(path -> path.getFileName().toString().startsWith(simulation))
                    .filter(path -> Files.exists(path.resolve("js/stats.json")))
                    .max(Comparator.comparing(path -> path.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("No Gatling report with js/stats.json under " + gatling));
        }
    }

    /** Every group of the report by name, at any depth. */
    private static void collectGroups(JsonNode node, Map<String, JsonNode> groups) {
        if ("GROUP".equals(node.path("type").asText())) {
            groups.put(node.path("name").asText(), node);
        }
        JsonNode contents = node.path("contents");
        contents.forEach(child -> collectGroups(child, groups));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static String table(ObjectNode summary, Map<Integer, Map<Operation, Figures>> byClients, List<Integer> clients) {
        StringBuilder out = new StringBuilder();
        for (int count : clients) {
            out.append(String.format(Locale.ROOT, "%n%d clients, %s s measured after %s s warm-up%n", count,
                    summary.get("measured_seconds").asText(), summary.get("warm_up_seconds").asText()));
            out.append(String.format(Locale.ROOT, "%-104s %8s %8s %8s %6s%n", "operation", "per s", "p50 ms", "p99 ms", "failed"));
            byClients.get(count).forEach((operation, f) -> out.append(String.format(Locale.ROOT, "%-104s %8.1f %8.0f %8.0f %6d%n",
                    operation.title, f.perSecond(), f.p50(), f.p99(), f.failed())));
        }
        out.append(String.format(Locale.ROOT, "%nRatios (throughput, ours / Keycloak's)%n"));
        JsonNode ratios = summary.get("ratio_by_clients");
        for (String name : RATIOS.keySet()) {
            out.append(String.format(Locale.ROOT, "  %-46s", name));
            for (int count : clients) {
                out.append(String.format(Locale.ROOT, "  @%d: %6s", count, ratios.path(Integer.toString(count)).path(name).asText("-")));
            }
            Double target = TARGETS.get(name);
            out.append(target == null ? "" : String.format(Locale.ROOT, "   target >= %.2f", target)).append('\n');
        }
        return out.toString();
    }

    /** The README's table: sign-ins per second and p99 at each number of clients, then the ratios. */
    static String markdown(ObjectNode summary, Map<Integer, Map<Operation, Figures>> byClients, List<Integer> clients) {
        StringBuilder md = new StringBuilder("| operation |");
        clients.forEach(count -> md.append(" per s @").append(count).append(" | p50 ms @").append(count).append(" | p99 ms @").append(count).append(" |"));
        md.append("\n|---|").append("---|---|---|".repeat(clients.size())).append('\n');
        for (Operation operation : Operation.values()) {
            if (!byClients.get(clients.get(0)).containsKey(operation)) {
                continue;
            }
            md.append("| ").append(operation.title).append(" |");
            for (int count : clients) {
                Figures f = byClients.get(count).get(operation);
                md.append(String.format(Locale.ROOT, " %.1f | %.0f | %.0f |", f.perSecond(), f.p50(), f.p99()));
            }
            md.append('\n');
        }
        md.append("\n| ratio (throughput, ours / Keycloak's) |");
        clients.forEach(count -> md.append(" @").append(count).append(" |"));
        md.append(" target |\n|---|").append("---|".repeat(clients.size())).append("---|\n");
        JsonNode ratios = summary.get("ratio_by_clients");
        for (String name : RATIOS.keySet()) {
            md.append("| `").append(name).append("` |");
            for (int count : clients) {
                md.append(' ').append(ratios.path(Integer.toString(count)).path(name).asText("-")).append(" |");
            }
            Double target = TARGETS.get(name);
            md.append(target == null ? " |" : " ≥ " + target + " |").append('\n');
        }
        return md.toString();
    }

    static String cleanUpTable(ObjectNode summary) {
        JsonNode cleanUp = summary.get("clean_up");
        if (cleanUp == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nClean-up of %d inactive guests: %.1f s (%.0f guests/s), %d removed%n",
                cleanUp.get("inactive_guests").asInt(), cleanUp.get("seconds").asDouble(),
                cleanUp.get("guests_removed_per_second").asDouble(), cleanUp.get("removed").asInt()));
        for (String login : List.of("device_sign_in", "keycloak_session_floor")) {
            out.append(String.format(Locale.ROOT, "  %-24s p99 %6.0f ms without, %6.0f ms during: %.2f x (target <= 2), %d failed%n", login,
                    cleanUp.get(login + "_p99_ms_without_clean_up").asDouble(), cleanUp.get(login + "_p99_ms_during_clean_up").asDouble(),
                    cleanUp.get(login + "_p99_during_vs_without").asDouble(), cleanUp.get(login + "_failed_during_clean_up").asLong()));
        }
        JsonNode footprint = summary.get("guest_footprint");
        if (footprint != null) {
            out.append(String.format(Locale.ROOT, "%nOne device guest in PostgreSQL: %d rows, %d bytes of data (with its session);"
                            + " %d bytes on disk with indexes (without a session)%n", footprint.get("rows").asLong(),
                    footprint.get("data_bytes").asLong(), footprint.get("disk_bytes_per_guest_without_session").asLong()));
            footprint.get("rows_of_one_guest").fields().forEachRemaining(table -> out.append(String.format(Locale.ROOT,
                    "  %-24s %d rows, %d bytes%n", table.getKey(), table.getValue().get("rows").asLong(), table.getValue().get("data_bytes").asLong())));
        }
        return out.toString();
    }

    static String html(ObjectNode summary, Map<Integer, Map<Operation, Figures>> byClients, List<Integer> clients) {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Anonymous Users for Keycloak: benchmark</title>
                <style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
                td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}
                .bar{display:inline-block;height:.8em;background:#4a7bd0}.ours .bar{background:#2e9e5b}.miss{color:#b00}</style></head><body>
                <h1>Benchmark: guests against Keycloak's own sign-ins</h1>
                """);
        html.append("<p>Keycloak on PostgreSQL, ").append(escape(summary.get("machine").asText())).append("; each operation alone, ")
                .append(summary.get("measured_seconds").asText()).append(" s measured after ")
                .append(summary.get("warm_up_seconds").asText()).append(" s warm-up. <a href=\"")
                .append(escape(summary.get("gatling_report").asText())).append("\">Gatling's report</a> has the charts over time.</p>");
        html.append("<h2>Ratios (throughput, ours / Keycloak's)</h2><table><tr><th>ratio</th>");
        clients.forEach(count -> html.append("<th>").append(count).append(" clients</th>"));
        html.append("<th>target</th></tr>");
        JsonNode ratios = summary.get("ratio_by_clients");
        for (String name : RATIOS.keySet()) {
            Double target = TARGETS.get(name);
            html.append("<tr><td>").append(name).append("</td>");
            for (int count : clients) {
                JsonNode value = ratios.path(Integer.toString(count)).path(name);
                boolean miss = target != null && value.isNumber() && value.asDouble() < target;
                html.append("<td").append(miss ? " class=\"miss\"" : "").append(">").append(value.asText("-")).append("</td>");
            }
            html.append("<td>").append(target == null ? "" : "&ge; " + target).append("</td></tr>");
        }
        html.append("</table>");
        for (int count : clients) {
            Map<Operation, Figures> figures = byClients.get(count);
            double max = figures.values().stream().mapToDouble(Figures::perSecond).max().orElse(1);
            html.append("<h2>").append(count).append(" clients</h2><table><tr><th>operation</th><th>sign-ins per second</th>")
                    .append("<th></th><th>p50 ms</th><th>p99 ms</th><th>failed</th></tr>");
            figures.forEach((operation, f) -> html.append("<tr").append(operation.keycloaksOwn ? "" : " class=\"ours\"").append("><td>")
                    .append(escape(operation.title)).append("</td><td>").append(String.format(Locale.ROOT, "%.1f", f.perSecond()))
                    .append("</td><td style=\"text-align:left\"><span class=\"bar\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", 300 * f.perSecond() / max)).append("px\"></span></td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", f.p50())).append("</td><td>").append(String.format(Locale.ROOT, "%.0f", f.p99()))
                    .append("</td><td>").append(f.failed()).append("</td></tr>"));
            html.append("</table>");
        }
        String cleanUp = cleanUpTable(summary);
        if (!cleanUp.isEmpty()) {
            html.append("<h2>Clean-up of inactive guests</h2><pre>").append(escape(cleanUp.trim())).append("</pre>");
        }
        return html.append("</body></html>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private BenchmarkSummary() {
    }
}
