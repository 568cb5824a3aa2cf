package io.fifoactors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.runtime.ActorSnapshot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** An actor's raw snapshot in words (table) and as a stable JSON document. Stateless. */
final class Snapshots {
    private Snapshots() {
    }

    static List<String> codes(Set<Attention> attention) {
        return attention.stream().map(Attention::code).sorted().toList();
    }

    /** The state as the codec wrote it: JSON if it parses, else UTF-8 text, else Base64. */
    record State(String encoding, JsonNode json, String text) {
    }

    static State state(byte[] bytes) {
        if (bytes.length == 0) {
            return new State("empty", null, "");
        }
        JsonNode json = Output.parseJson(bytes);
        if (json != null && !json.isMissingNode()) {
            return new State("json", json, null);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new State("text", null, text);
        } catch (CharacterCodingException e) {
            return new State("base64", null, Base64.getEncoder().encodeToString(bytes));
        }
    }

    static Map<String, Object> document(ActorSnapshot<byte[]> s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("actor", s.id().groupId());
        d.put("version", s.version());
        d.put("recordBytes", s.recordBytes());
        d.put("recordLimitBytes", StateStore.MAX_RECORD_BYTES);
        d.put("attention", codes(s.attention()));
        State state = state(s.state());
        d.put("stateEncoding", state.encoding());
        d.put("state", state.json() != null ? state.json() : state.text());
        d.put("appliedSequence", s.appliedSequence());
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("applied", s.applied());
        counters.put("rejected", s.rejected());
        counters.put("deferred", s.deferred());
        counters.put("deadLettered", s.deadLettered());
        counters.put("timersFired", s.timersFired());
        counters.put("sent", s.sent());
        d.put("counters", counters);
        d.put("parked", s.parked().map(p -> map("messageId", p.messageId(), "type", p.type(), "reason", p.reason()))
                .orElse(null));
        d.put("held", s.held());
        d.put("failing", s.failing().map(f -> map("sequenceNumber", f.sequenceNumber(), "attempts", f.attempts(),
                "attemptInProgress", f.attemptInProgress(), "reason", f.reason().orElse(null))).orElse(null));
        List<Object> stash = new ArrayList<>();
        s.stash().forEach(x -> stash.add(map("messageId", x.messageId(), "type", x.type(), "deadline",
                x.deadline().toString(), "lastFailure", x.lastFailure().orElse(null))));
        d.put("stash", stash);
        List<Object> timers = new ArrayList<>();
        s.timers().forEach(t -> timers.add(map("key", t.key(), "due", t.due().toString(), "type", t.type())));
        d.put("timers", timers);
        List<Object> outbox = new ArrayList<>();
        s.outbox().forEach(o -> outbox.add(map("kind", o.kind(), "target", o.target(), "type", o.type(),
                "committedAt", o.committedAt().toString())));
        d.put("outbox", outbox);
        List<Object> rejections = new ArrayList<>();
        s.recentRejections().forEach(r -> rejections.add(map("messageId", r.messageId(), "type", r.type(),
                "reason", r.reason(), "at", r.at().toString())));
        d.put("recentRejections", rejections);
        d.put("senderMarks", s.senderMarks());
        d.put("archived", s.archived());
        return d;
    }

    static List<String[]> words(ActorSnapshot<byte[]> s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("actor", s.id().groupId()));
        rows.add(row("version", Long.toString(s.version())));
        rows.add(row("record", String.format(Locale.ROOT, "%,d bytes (%.1f%% of the %,d-byte limit)",
                s.recordBytes(), s.recordUsePercent(), StateStore.MAX_RECORD_BYTES)));
        rows.add(row("attention", s.attention().isEmpty() ? "none" : String.join(", ", codes(s.attention()))));
        State state = state(s.state());
        rows.add(row("state", switch (state.encoding()) {
            case "json" -> state.json().toString();
            case "text" -> state.text();
            case "base64" -> "(not UTF-8; Base64) " + state.text();
            default -> "(empty)";
        }));
        rows.add(row("applied", String.format(Locale.ROOT, "up to sequence %s; %d applied, %d rejected,"
                        + " %d deferred, %d dead-lettered, %d timers fired, %d sent",
                s.appliedSequence().isEmpty() ? "(none)" : s.appliedSequence(), s.applied(), s.rejected(),
                s.deferred(), s.deadLettered(), s.timersFired(), s.sent())));
        rows.add(row("parked", s.parked().map(p -> "on message " + p.messageId() + " (" + p.type() + "): "
                + p.reason() + "; " + s.held() + " later message" + (s.held() == 1 ? "" : "s") + " held")
                .orElse("no")));
        rows.add(row("failing", s.failing().map(f -> "message at sequence " + f.sequenceNumber() + ", " + f.attempts()
                + " failed attempt" + (f.attempts() == 1 ? "" : "s") + (f.attemptInProgress() ? ", one under way" : "")
                + f.reason().map(r -> "; last: " + r).orElse("")).orElse("no")));
        rows.add(row("stash", s.stash().isEmpty() ? "empty" : s.stash().stream().map(x -> x.messageId() + " ("
                + x.type() + ") until " + x.deadline() + x.lastFailure().map(r -> ", last failure: " + r).orElse(""))
                .collect(Collectors.joining("\n"))));
        rows.add(row("timers", s.timers().isEmpty() ? "none" : s.timers().stream().map(t -> t.key() + " due "
                + t.due() + (t.type().isEmpty() ? "" : " (" + t.type() + ")")).collect(Collectors.joining("\n"))));
        rows.add(row("outbox", s.outbox().isEmpty() ? "empty" : s.outbox().stream().map(o -> o.kind() + " "
                + o.type() + (o.target().isEmpty() ? "" : " to " + o.target()) + ", committed " + o.committedAt())
                .collect(Collectors.joining("\n"))));
        rows.add(row("rejections", s.recentRejections().isEmpty() ? "none" : s.recentRejections().stream()
                .map(r -> r.at() + " " + r.messageId() + " (" + r.type() + "): " + r.reason())
                .collect(Collectors.joining("\n"))));
        rows.add(row("sender marks", s.senderMarks() + (s.archived() ? ", older ones archived" : "")));
        return rows;
    }

    /** One short line of why an actor needs attention, from its record. */
    static String detail(ActorSnapshot<byte[]> s) {
        List<String> parts = new ArrayList<>();
        s.parked().ifPresent(p -> parts.add("parked on " + p.messageId() + " (" + p.type() + "): " + p.reason()
                + "; " + s.held() + " held"));
        s.failing().ifPresent(f -> parts.add("failing: " + f.attempts() + " attempt" + (f.attempts() == 1 ? "" : "s")
                + f.reason().map(r -> ", last: " + r).orElse("")));
        if (s.attention().contains(Attention.LARGE)) {
            parts.add(String.format(Locale.ROOT, "large: %,d bytes, %.0f%% of the limit", s.recordBytes(),
                    s.recordUsePercent()));
        }
        if (s.attention().isEmpty()) {
            parts.add("needs no attention now (resolved since the index was read)");
        }
        return String.join("; ", parts);
    }

    private static String[] row(String key, String value) {
        return new String[] {key, value};
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
