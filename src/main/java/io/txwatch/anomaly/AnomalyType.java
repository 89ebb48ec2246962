package io.txwatch.anomaly;

/** Every kind of anomaly txwatch detects; each is produced by the detector of the same name. */
public enum AnomalyType {
    /** Sale unit price far from the catalog's list price. */
    PRICE_VS_CATALOG,
    /** Sale unit price far from the product's recent prices. */
    PRICE_VS_RECENT,
    /** Too many transactions by one customer in a short window (bots, spam). */
    VELOCITY,
    /** Repeated failed payments by one customer. */
    FAILED_PAYMENT_BURST,
    /** An amount above a per-currency limit or far above the customer's own history. */
    HIGH_AMOUNT,
    /** A purchase at an hour the customer (almost) never buys in. */
    UNUSUAL_HOUR,
    /** Two purchases whose locations imply an impossible travel speed. */
    IMPOSSIBLE_TRAVEL,
    /** A quantity far above what the product usually sells per order. */
    BULK_QUANTITY,
    /** A time bucket whose sales count or revenue is far below or above its baseline, an outage included. */
    SALES_VOLUME
}
