package io.txwatch.anomaly;

/** Every kind of anomaly txwatch detects; each is produced by the detector of the same name. */
public enum AnomalyType {
    /** Sale unit price far from the catalog's list price. */
    PRICE_VS_CATALOG("a price far from the list price"),
    /** Sale unit price far from the product's recent prices. */
    PRICE_VS_RECENT("a price far from its recent sales"),
    /** Too many transactions by one customer in a short window (bots, spam). */
    VELOCITY("many transactions in a short time"),
    /** Repeated failed payments by one customer. */
    FAILED_PAYMENT_BURST("repeated failed payments"),
    /** An amount above a per-currency limit or far above the customer's own history. */
    HIGH_AMOUNT("an unusually high amount"),
    /** A purchase at an hour the customer (almost) never buys in. */
    UNUSUAL_HOUR("an unusual hour"),
    /** Two purchases whose locations imply an impossible travel speed. */
    IMPOSSIBLE_TRAVEL("implausibly fast travel"),
    /** A quantity far above what the product usually sells per order. */
    BULK_QUANTITY("an unusually large quantity"),
    /** A time bucket whose sales count or revenue is far below or above its baseline, an outage included. */
    SALES_VOLUME("abnormal sales volume");

    private final String inWords;

    AnomalyType(String inWords) {
        this.inWords = inWords;
    }

    /** What a signal of this kind observed, as a noun phrase for sentences ("an unusual hour"). */
    public String inWords() {
        return inWords;
    }
}
