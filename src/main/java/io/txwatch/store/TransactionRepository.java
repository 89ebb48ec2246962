package io.txwatch.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** Reads stored transactions, newest first, with keyset pagination on (occurredAt, transactionId). */
@ApplicationScoped
public class TransactionRepository {

    private final Mutiny.SessionFactory sessions;

    public TransactionRepository(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Fetches one transaction more than the page holds, which tells whether a next page exists. */
    public Uni<List<StoredTransaction>> list(TransactionQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>();
        if (!query.statuses().isEmpty()) {
            conditions.add("t.status in :statuses");
            parameters.put("statuses", query.statuses());
        }
        if (query.customerId() != null) {
            conditions.add("t.customerId = :customerId");
            parameters.put("customerId", query.customerId());
        }
        if (query.from() != null) {
            conditions.add("t.occurredAt >= :from");
            parameters.put("from", query.from());
        }
        if (query.to() != null) {
            conditions.add("t.occurredAt < :to");
            parameters.put("to", query.to());
        }
        if (query.afterTime() != null) {
            conditions.add("(t.occurredAt < :afterTime or (t.occurredAt = :afterTime and t.transactionId < :afterId))");
            parameters.put("afterTime", query.afterTime());
            parameters.put("afterId", query.afterId());
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        return sessions.withStatelessSession(session -> {
            Mutiny.SelectionQuery<StoredTransaction> select = session.createSelectionQuery(
                    "from StoredTransaction t" + where + " order by t.occurredAt desc, t.transactionId desc",
                    StoredTransaction.class);
            parameters.forEach(select::setParameter);
            return select.setMaxResults(query.limit() + 1).getResultList();
        });
    }

    public Uni<StoredTransaction> find(String transactionId) {
        return sessions.withStatelessSession(session -> session.get(StoredTransaction.class, transactionId));
    }
}
