package io.txwatch.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import io.smallrye.mutiny.Uni;
import io.txwatch.window.WindowStore;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The window work of one batch for one detector: a request per event (or line), in event-time order, sent in a
 * single pipeline; each answer is judged with what it was asked for.
 *
 * @param <S> what a request was asked for: the event, the line item
 */
final class WindowProbes<S> {

    private final List<Request> requests = new ArrayList<>();
    private final List<S> subjects = new ArrayList<>();

    void add(S subject, Request request) {
        subjects.add(subject);
        requests.add(request);
    }

    Uni<List<Finding>> judge(WindowStore windows, BiFunction<S, Response, Optional<Finding>> judge) {
        return windows.pipeline(requests).map(responses -> {
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < responses.size(); i++) {
                judge.apply(subjects.get(i), responses.get(i)).ifPresent(findings::add);
            }
            return findings;
        });
    }
}
