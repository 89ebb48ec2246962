package io.txwatch.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How explanations print times, spans and sentence starts: "42 s", "4 min 10 s", "1 h 05 min", "14:05:10". */
final class Wording {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Wording() {
    }

    static String span(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds % 60 == 0 ? seconds / 60 + " min" : seconds / 60 + " min " + seconds % 60 + " s";
        }
        return String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    static String clock(Instant instant) {
        return CLOCK.format(instant);
    }

    /** "customer 7 made…" starts a sentence as "Customer 7 made…". */
    static String sentenceStart(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
