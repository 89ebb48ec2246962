package io.txwatch.simulate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

import io.txwatch.event.TransactionEvent.LineItem;
import io.txwatch.simulate.Catalog.Product;
import io.txwatch.simulate.Population.Shopper;

/**
 * What goes into an order, and at what price. Everyday baskets are sized to the shopper's habitual spend, so that
 * a customer's amounts vary within a factor of a few, and are priced the way the shop prices: list price, or a
 * promotion at 85-95 % of it (78-95 % in the realistic profile). The odd baskets of the injected anomalies are built here too, each far enough outside
 * those bounds that a detector cannot miss it, and inside them on every other count.
 */
final class Baskets {

    /** Everyday quantities stay at or below this; a bulk order starts at {@link #BULK_QUANTITY_MIN}. */
    static final int USUAL_MAX_QUANTITY = 3;
    private static final int MAX_LINES = 3;
    static final int BULK_QUANTITY_MIN = 40;
    static final int BULK_QUANTITY_MAX = 200;
    /** A high amount is at least this multiple of the shopper's habitual spend and above the floor below. */
    static final double HIGH_AMOUNT_MULTIPLE = 25;
    static final double HIGH_AMOUNT_FLOOR_RUPEES = 500_000;
    /** Price anomalies need a history of the item first: its recent prices, or its usual quantity. */
    static final int HISTORY_BEFORE_ANOMALY = 20;

    private static final double PROMOTION_HIGH = 0.95;
    /**
     * A mispriced marketplace item is at least this many of its sellers' spreads (log-normal) from its typical price,
     * and at least {@link #MISPRICED_LEAST_FACTOR} times: far enough that a detector judging by that spread cannot
     * miss it.
     */
    private static final double MISPRICED_SPREADS = 5;
    private static final double MISPRICED_LEAST_FACTOR = 1.75;
    /** A bulk order stays within this multiple of the shopper's habitual spend: only its quantity is odd. */
    private static final double BULK_SPEND_LIMIT = 3;

    private final Money money;
    private final long seed;
    private final StreamProfile profile;
    private final PriceIndex everything;
    private final PriceIndex listed;
    private final List<Product> offCatalog;
    private final List<Product> premium;
    private final Map<String, Integer> timesSold = new HashMap<>();
    private final Map<String, Integer> timesSoldIn = new HashMap<>();

    Baskets(Catalog catalog, Money money, long seed, StreamProfile profile) {
        this.money = money;
        this.seed = seed;
        this.profile = profile;
        List<Product> byPrice = catalog.byPrice();
        this.everything = new PriceIndex(byPrice);
        this.listed = new PriceIndex(byPrice.stream().filter(Product::listed).toList());
        this.offCatalog = catalog.offCatalog();
        List<Product> listedByPrice = listed.products;
        this.premium = listedByPrice.subList(listedByPrice.size() - Math.min(listedByPrice.size(),
                Math.max(5, listedByPrice.size() / 10)), listedByPrice.size());
    }

    /**
     * One to three items adding up to about the shopper's habitual spend, at clean prices, a flash sale's if one is
     * on. Each line aims at what the earlier lines left of the target, so that the amount stays near it even where
     * few products fit the budget.
     */
    List<LineItem> everyday(Shopper shopper, long epochMillis, OptionalDouble flashSale, SplittableRandom random) {
        int lines = shopper.basketLines();
        if (random.nextDouble() < 0.2) {
            lines = Math.max(1, Math.min(MAX_LINES, lines + (random.nextBoolean() ? 1 : -1)));
        }
        double remaining = shopper.habitualSpend() * Chance.logNormal(random, 1.0, profile.basketSpread,
                profile.basketLowest, profile.basketHighest);
        List<LineItem> items = new ArrayList<>(lines);
        Set<String> skus = new HashSet<>();
        for (int line = 0; line < lines && remaining > 0; line++) {
            double budget = remaining / (lines - line);
            Product product = everything.around(budget, random);
            if (skus.add(product.sku())) {
                double price = product.listPrice().doubleValue();
                int quantity = (int) Math.max(1, Math.min(USUAL_MAX_QUANTITY, Math.round(budget / price)));
                items.add(line(product, quantity, cleanPrice(product, epochMillis, flashSale, random)));
                remaining -= quantity * price;
            }
        }
        return List.copyOf(items);
    }

    /**
     * A listed product at 1-60 % of its list price (revenue lost) or 120-300 % (customer overcharged), for a shopper
     * paying in the shop's currency: the catalog lists no other, so in another the price has nothing to be wrong against.
     */
    Optional<List<LineItem>> mispricedListed(Shopper shopper, SplittableRandom random) {
        if (!shopper.currency().equals(money.currency())) {
            return Optional.empty();
        }
        Product product = listed.around(shopper.habitualSpend(), random);
        double share = random.nextBoolean() ? Chance.between(random, 0.01, 0.60) : Chance.between(random, 1.20, 3.00);
        return Optional.of(List.of(line(product, 1, money.share(product.listPrice(), share))));
    }

    /**
     * An off-catalog item with a sales history at under 40 % or over 170 % of its typical price (where sellers' prices
     * vary log-normally: at least five of their spreads and 1.75 times away); one the shopper could afford, so that
     * the amount itself stays ordinary.
     */
    Optional<List<LineItem>> mispricedOffCatalog(Shopper shopper, SplittableRandom random) {
        List<Product> known = offCatalog.stream()
                .filter(product -> timesSoldIn(product, shopper.currency()) >= HISTORY_BEFORE_ANOMALY)
                .filter(product -> product.listPrice().doubleValue() <= shopper.habitualSpend())
                .toList();
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Product product = Chance.oneOf(random, known);
        double share;
        if (profile.marketplaceLogNormal) {
            double least = Math.max(MISPRICED_SPREADS * profile.marketplaceSpread, Math.log(MISPRICED_LEAST_FACTOR));
            double factor = Math.exp(least + Chance.between(random, 0, 0.6));
            share = random.nextBoolean() ? 1 / factor : factor;
        } else {
            share = random.nextBoolean() ? Chance.between(random, 0.10, 0.38) : Chance.between(random, 1.75, 3.00);
        }
        return Optional.of(List.of(line(product, 1, money.share(product.listPrice(), share))));
    }

    /** 40-200 of a product usually bought one to three at a time, cheap enough that the amount stays ordinary. */
    Optional<List<LineItem>> bulk(Shopper shopper, long epochMillis, SplittableRandom random) {
        double spendLimit = BULK_SPEND_LIMIT * shopper.habitualSpend();
        List<Product> affordable = listed.atMost(spendLimit / BULK_QUANTITY_MIN).stream()
                .filter(product -> timesSold(product) >= HISTORY_BEFORE_ANOMALY)
                .toList();
        if (affordable.isEmpty()) {
            return Optional.empty();
        }
        Product product = Chance.oneOf(random, affordable);
        int most = (int) Math.min(BULK_QUANTITY_MAX, Math.floor(spendLimit / product.listPrice().doubleValue()));
        int quantity = BULK_QUANTITY_MIN + random.nextInt(most - BULK_QUANTITY_MIN + 1);
        return Optional.of(List.of(line(product, quantity, cleanPrice(product, epochMillis, OptionalDouble.empty(), random))));
    }

    /**
     * Premium products at list price and everyday quantities, adding up to at least 25 times the shopper's habitual
     * spend and more than the high-amount floor: only the amount is odd.
     */
    Optional<List<LineItem>> expensive(Shopper shopper, SplittableRandom random) {
        double target = Math.max(HIGH_AMOUNT_MULTIPLE * shopper.habitualSpend(), money.fromRupees(HIGH_AMOUNT_FLOOR_RUPEES))
                * Chance.between(random, 1.1, 1.5);
        List<Product> candidates = new ArrayList<>(premium);
        List<LineItem> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        while (total.doubleValue() < target && !candidates.isEmpty()) {
            Product product = candidates.remove(random.nextInt(candidates.size()));
            LineItem item = line(product, 1 + random.nextInt(USUAL_MAX_QUANTITY), product.listPrice());
            items.add(item);
            total = total.add(item.total());
        }
        return total.doubleValue() < target ? Optional.empty() : Optional.of(List.copyOf(items));
    }

    /**
     * Remembers what was sold, as a detector would: the history that later anomalies of an item need, its quantities
     * in any currency and its prices in each.
     */
    void sold(List<LineItem> items, String currency) {
        for (LineItem item : items) {
            timesSold.merge(item.sku(), 1, Integer::sum);
            timesSoldIn.merge(item.sku() + "|" + currency, 1, Integer::sum);
        }
    }

    private int timesSold(Product product) {
        return timesSold.getOrDefault(product.sku(), 0);
    }

    private int timesSoldIn(Product product, String currency) {
        return timesSoldIn.getOrDefault(product.sku() + "|" + currency, 0);
    }

    private BigDecimal cleanPrice(Product product, long epochMillis, OptionalDouble flashSale, SplittableRandom random) {
        if (!product.listed()) {
            double spread = profile.marketplaceSpread;
            return money.share(product.listPrice(), profile.marketplaceLogNormal
                    ? Chance.logNormal(random, 1.0, spread, Math.exp(-4 * spread), Math.exp(4 * spread))
                    : Chance.between(random, 1 - spread, 1 + spread));
        }
        if (flashSale.isPresent()) {
            return money.share(product.listPrice(), flashSale.getAsDouble());
        }
        double promotion = promotion(product, epochMillis);
        return promotion == 1.0 ? product.listPrice() : money.share(product.listPrice(), promotion);
    }

    /**
     * The share of its list price a product sells at on a given (UTC) day: mostly all of it, sometimes a promotion.
     * Derived from the seed, the product and the day rather than drawn from the stream, so that a promotion lasts
     * the whole day whoever buys.
     */
    private double promotion(Product product, long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        SplittableRandom daily = new SplittableRandom(seed ^ (product.sku().hashCode() * 0x9E3779B97F4A7C15L)
                ^ (day * 0xBF58476D1CE4E5B9L));
        return daily.nextDouble() < profile.promotionChance ? Chance.between(daily, profile.promotionLowest, PROMOTION_HIGH)
                : 1.0;
    }

    /** The lines at this share of their prices: a pricing error. */
    List<LineItem> atShare(List<LineItem> items, double share) {
        return items.stream().map(item -> new LineItem(item.sku(), item.name(), item.quantity(),
                money.share(item.unitPrice(), share))).toList();
    }

    private static LineItem line(Product product, int quantity, BigDecimal unitPrice) {
        return new LineItem(product.sku(), product.name(), quantity, unitPrice);
    }

    /** Products cheapest first, searchable by price. */
    private static final class PriceIndex {

        private final List<Product> products;
        private final double[] prices;

        PriceIndex(List<Product> cheapestFirst) {
            this.products = cheapestFirst;
            this.prices = cheapestFirst.stream().mapToDouble(product -> product.listPrice().doubleValue()).toArray();
        }

        /**
         * A product priced between a third of the budget and the budget, so that one to three of it fit; failing
         * that the dearest one below the budget, or the cheapest of all.
         */
        Product around(double budget, SplittableRandom random) {
            int low = countBelow(budget / 3);
            int high = countAtMost(budget);
            if (low < high) {
                return products.get(low + random.nextInt(high - low));
            }
            return products.get(Math.max(0, high - 1));
        }

        List<Product> atMost(double price) {
            return products.subList(0, countAtMost(price));
        }

        private int countBelow(double price) {
            return count(price, false);
        }

        private int countAtMost(double price) {
            return count(price, true);
        }

        /** Binary search over the ascending prices. */
        private int count(double price, boolean orEqual) {
            int low = 0;
            int high = prices.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (prices[middle] < price || orEqual && prices[middle] == price) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }
}
