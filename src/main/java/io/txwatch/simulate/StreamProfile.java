package io.txwatch.simulate;

import java.util.Locale;

/**
 * What kind of shop the stream imitates. {@link #DEFAULT} keeps everyday traffic clearly inside normal behaviour,
 * the easy case; {@link #REALISTIC} has what real shops have and the default lacks, so that an evaluation on it shows
 * how detection holds up on traffic it was not tuned on. Injected anomalies stay labelled in both.
 */
public enum StreamProfile {

    DEFAULT(0, 0, 0, 0, 0.003, 400, 180, 0.6, 0.2, 5.0, 0.25, 0.6, 1.6, 0.12, 0.85, false, 0.04, 0, 0, false, false),

    /**
     * A third of shoppers share no location, and the others' purchases carry none three times in ten (a web
     * checkout that sends none, where the app does); one in twenty works nights; shoppers travel more, across borders, by
     * plane; most shoppers buy rarely and a few very often; amounts vary more from basket to basket; promotions are
     * frequent and deeper; marketplace sellers ask widely different prices (log-normal); and one event in a hundred
     * arrives a day or two after it happened (a backfill); and three products in a hundred sell at a price the catalog
     * has not caught up with (a cut to 60-72 % of the price it publishes), an incident of the catalog's that
     * {@code PRICE_VS_CATALOG} should report on its first sales, not on every one; and among its volume shocks are
     * pricing errors, everything selling at a fraction of its price for a while, which only revenue shows; and shoppers
     * abroad pay in their own currency where the shop offers it (dirhams, pounds, dollars, euros, yen: about a fifth of
     * sales, each currency a few percent), at its prices converted.
     */
    REALISTIC(0.33, 0.3, 0.05, 0.15, 0.01, 750, 720, 1.5, 0.01, 50, 0.6, 0.25, 4.0, 0.3, 0.78, true, 0.30, 0.01, 0.03, true, true);

    /** Share of shoppers whose events carry no location. */
    final double unlocatedShoppers;
    /** Share of the other shoppers' purchases that carry no location all the same. */
    final double unlocatedPurchases;
    /** Share of shoppers whose usual hours span the night. */
    final double nightShiftShoppers;
    /** The shop's relative demand in the small hours (its daytime peak is 1). */
    final double nightDemand;
    /** Chance that a purchase finds the shopper setting off on a trip. */
    final double travelChance;
    /** Door-to-door speed of a trip, in km/h. */
    final double travelSpeedKmh;
    /** How many minutes of time zone a trip may cross. */
    final int travelMaxOffsetMinutes;
    /**
     * Log-normal spread of how often shoppers buy (the wider, the more occasional buyers beside a few frequent
     * ones), and the bounds of a shopper's activity against the median shopper's.
     */
    final double activitySpread;
    final double activityLowest;
    final double activityHighest;
    /** Log-normal spread of one shopper's basket amounts around their habit, and its bounds as multiples of the habit. */
    final double basketSpread;
    final double basketLowest;
    final double basketHighest;
    /** Chance that a listed product is on promotion on a given day, and the lowest share of its list price it then sells at. */
    final double promotionChance;
    final double promotionLowest;
    /**
     * How widely marketplace sellers' prices for one item vary: log-normally with this spread, or else uniformly within
     * ± this share.
     */
    final boolean marketplaceLogNormal;
    final double marketplaceSpread;
    /** Share of everyday events delivered a day or two after they happened. */
    final double backfillChance;
    /** Share of listed products whose price changed while the catalog still publishes the old one. */
    final double staleCatalogShare;
    /** Whether pricing errors ({@link VolumeShock.Kind#UNDERPRICED}) are among the volume shocks. */
    final boolean pricingErrors;
    /** Whether shoppers abroad pay in their home country's currency where it is simulated, else in the shop's. */
    final boolean localCurrencies;

    StreamProfile(double unlocatedShoppers, double unlocatedPurchases, double nightShiftShoppers, double nightDemand, double travelChance,
            double travelSpeedKmh, int travelMaxOffsetMinutes, double activitySpread, double activityLowest,
            double activityHighest, double basketSpread, double basketLowest, double basketHighest,
            double promotionChance, double promotionLowest, boolean marketplaceLogNormal, double marketplaceSpread,
            double backfillChance, double staleCatalogShare, boolean pricingErrors, boolean localCurrencies) {
        this.unlocatedShoppers = unlocatedShoppers;
        this.unlocatedPurchases = unlocatedPurchases;
        this.nightShiftShoppers = nightShiftShoppers;
        this.nightDemand = nightDemand;
        this.travelChance = travelChance;
        this.travelSpeedKmh = travelSpeedKmh;
        this.travelMaxOffsetMinutes = travelMaxOffsetMinutes;
        this.activitySpread = activitySpread;
        this.activityLowest = activityLowest;
        this.activityHighest = activityHighest;
        this.basketSpread = basketSpread;
        this.basketLowest = basketLowest;
        this.basketHighest = basketHighest;
        this.promotionChance = promotionChance;
        this.promotionLowest = promotionLowest;
        this.marketplaceLogNormal = marketplaceLogNormal;
        this.marketplaceSpread = marketplaceSpread;
        this.backfillChance = backfillChance;
        this.staleCatalogShare = staleCatalogShare;
        this.pricingErrors = pricingErrors;
        this.localCurrencies = localCurrencies;
    }

    /** The profile of this name, in any case ({@code default}, {@code realistic}). */
    public static StreamProfile named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no stream profile is named '" + name + "'; there are default and realistic", e);
        }
    }
}
