package io.txwatch.simulate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the simulated shop sells: the products it publishes to topic {@code catalog}, and a few marketplace items
 * that third-party sellers list without ever publishing them, which only their recent prices can vouch for.
 */
public final class Catalog {

    /**
     * A sellable item. For a listed product, {@code listPrice} is the price the shop sells it at, and
     * {@code catalogPrice} the one its catalog publishes: the same, unless the catalog lags behind a price change;
     * for an off-catalog item {@code listPrice} is the price its sellers typically ask, known to the simulator alone.
     */
    public record Product(String sku, String name, String category, BigDecimal listPrice, BigDecimal catalogPrice,
            String currency, boolean listed) {
    }

    private record Kind(String category, String noun, double lowRupees, double highRupees) {
    }

    /** Product kinds with the price range (in rupees) a shopper would find them at. */
    private static final List<Kind> KINDS = List.of(
            new Kind("electronics", "Smartphone", 7_000, 150_000),
            new Kind("electronics", "Laptop", 30_000, 200_000),
            new Kind("electronics", "Wireless Earbuds", 800, 25_000),
            new Kind("electronics", "Smartwatch", 2_000, 60_000),
            new Kind("electronics", "4K Television", 20_000, 250_000),
            new Kind("electronics", "Tablet", 10_000, 120_000),
            new Kind("electronics", "Bluetooth Speaker", 1_000, 30_000),
            new Kind("electronics", "Power Bank", 600, 4_000),
            new Kind("electronics", "Mirrorless Camera", 40_000, 220_000),
            new Kind("fashion", "T-Shirt", 300, 2_500),
            new Kind("fashion", "Jeans", 800, 5_000),
            new Kind("fashion", "Sneakers", 1_500, 15_000),
            new Kind("fashion", "Kurta", 500, 6_000),
            new Kind("fashion", "Saree", 1_000, 25_000),
            new Kind("fashion", "Jacket", 1_500, 12_000),
            new Kind("fashion", "Handbag", 1_000, 20_000),
            new Kind("fashion", "Sunglasses", 500, 12_000),
            new Kind("home", "Mixer Grinder", 2_000, 9_000),
            new Kind("home", "Air Fryer", 3_000, 15_000),
            new Kind("home", "Bedsheet Set", 600, 5_000),
            new Kind("home", "Cookware Set", 1_500, 15_000),
            new Kind("home", "Refrigerator", 15_000, 120_000),
            new Kind("home", "Washing Machine", 15_000, 70_000),
            new Kind("home", "Office Chair", 4_000, 30_000),
            new Kind("home", "Table Lamp", 500, 4_000),
            new Kind("grocery", "Basmati Rice 5 kg", 400, 1_200),
            new Kind("grocery", "Olive Oil 1 L", 500, 1_500),
            new Kind("grocery", "Green Tea 100 Bags", 200, 900),
            new Kind("grocery", "Almonds 500 g", 400, 1_000),
            new Kind("grocery", "Coffee Beans 250 g", 300, 1_200),
            new Kind("grocery", "Dark Chocolate", 80, 400),
            new Kind("grocery", "Breakfast Cereal", 150, 600),
            new Kind("books", "Novel", 200, 900),
            new Kind("books", "Cookbook", 400, 2_000),
            new Kind("books", "Programming Guide", 500, 4_000),
            new Kind("books", "Picture Book", 150, 800),
            new Kind("books", "Biography", 300, 1_500),
            new Kind("beauty", "Face Serum", 400, 4_000),
            new Kind("beauty", "Shampoo", 150, 900),
            new Kind("beauty", "Perfume", 800, 12_000),
            new Kind("sports", "Yoga Mat", 400, 3_000),
            new Kind("sports", "Cricket Bat", 800, 25_000),
            new Kind("sports", "Dumbbell Set", 1_000, 8_000),
            new Kind("sports", "Bicycle", 6_000, 80_000),
            new Kind("toys", "Building Blocks", 500, 8_000),
            new Kind("toys", "Board Game", 400, 4_000),
            new Kind("toys", "Remote Control Car", 800, 6_000));

    private static final List<String> BRANDS = List.of("Aurel", "Brightwell", "Corvo", "Dhara", "Everly", "Fennick",
            "Galaxo", "Hestia", "Indigo Loom", "Jivana", "Kestrel", "Lumio", "Meridian", "Nuvo", "Orbis", "Prakriti",
            "Quill", "Rasa", "Sahara", "Tarang", "Umber", "Vireo", "Westfield", "Zenith");
    private static final List<String> VARIANTS = List.of("", " Pro", " Lite", " Max", " Plus", " Mini", " Classic", " 2");

    /** Marketplace listings: (category, name, low and high typical price in rupees). */
    private static final List<Kind> MARKETPLACE = List.of(
            new Kind("home", "Handwoven Jute Rug", 1_800, 4_500),
            new Kind("electronics", "Vintage Film Camera", 6_000, 15_000),
            new Kind("electronics", "Refurbished Smartphone", 8_000, 20_000),
            new Kind("home", "Handmade Brass Diya Set", 600, 1_500),
            new Kind("fashion", "Block-Print Cotton Dupatta", 500, 1_400),
            new Kind("grocery", "Wild Forest Honey 500 g", 350, 700),
            new Kind("books", "Signed First Edition", 2_500, 6_000),
            new Kind("home", "Madhubani Painting", 3_000, 9_000),
            new Kind("fashion", "Oxidised Silver Earrings", 400, 1_200),
            new Kind("fashion", "Handcrafted Leather Wallet", 700, 1_800),
            new Kind("sports", "Second-hand Road Bike", 12_000, 30_000),
            new Kind("fashion", "Pashmina Shawl", 4_000, 12_000),
            new Kind("grocery", "Artisan Coffee Sampler", 800, 1_600),
            new Kind("toys", "Wooden Chess Set", 1_200, 3_500),
            new Kind("books", "Used Textbook Bundle", 600, 1_500),
            new Kind("home", "Terracotta Planter Pair", 500, 1_300));

    /**
     * A price cut the catalog has not caught up with, deep enough that the catalog's price is plainly wrong even on a
     * day of promotion: the new price is 60-72 % of the old one, or a little less once the old one is rounded up to a
     * shelf price.
     */
    private static final double STALE_LOWEST = 0.60;
    private static final double STALE_HIGHEST = 0.72;

    private final List<Product> products;
    private final List<Product> offCatalog;

    private Catalog(List<Product> products, List<Product> offCatalog) {
        this.products = products;
        this.offCatalog = offCatalog;
    }

    /** @param staleShare the share of listed products whose price changed while the catalog still has the old one */
    static Catalog generate(int productCount, Money money, SplittableRandom random, double staleShare) {
        List<Product> products = new ArrayList<>(productCount);
        for (int i = 1; i <= productCount; i++) {
            Kind kind = Chance.oneOf(random, KINDS);
            String name = Chance.oneOf(random, BRANDS) + " " + kind.noun() + Chance.oneOf(random, VARIANTS);
            String sku = "%s-%05d".formatted(kind.category().substring(0, 3).toUpperCase(Locale.ROOT), i);
            BigDecimal price = priceOf(kind, money, random);
            BigDecimal catalogPrice = price;
            // drawn only where the profile has a lagging catalog, so that the default stream stays what it was
            if (staleShare > 0 && random.nextDouble() < staleShare) {
                catalogPrice = money.shelfPrice(price.doubleValue() / Chance.between(random, STALE_LOWEST, STALE_HIGHEST));
            }
            products.add(new Product(sku, name, kind.category(), price, catalogPrice, money.currency(), true));
        }
        List<Product> offCatalog = new ArrayList<>(MARKETPLACE.size());
        for (int i = 0; i < MARKETPLACE.size(); i++) {
            Kind item = MARKETPLACE.get(i);
            BigDecimal price = priceOf(item, money, random);
            offCatalog.add(new Product("MKT-%04d".formatted(i + 1), item.noun(), item.category(), price, price,
                    money.currency(), false));
        }
        return new Catalog(List.copyOf(products), List.copyOf(offCatalog));
    }

    private static BigDecimal priceOf(Kind kind, Money money, SplittableRandom random) {
        return money.shelfPrice(money.fromRupees(Chance.logUniform(random, kind.lowRupees(), kind.highRupees())));
    }

    /** The products published to topic {@code catalog}. */
    public List<Product> products() {
        return products;
    }

    /** The marketplace items that are sold but never published. */
    public List<Product> offCatalog() {
        return offCatalog;
    }

    /** Every sellable item, cheapest first. */
    List<Product> byPrice() {
        List<Product> all = new ArrayList<>(products);
        all.addAll(offCatalog);
        all.sort(Comparator.comparing(Product::listPrice).thenComparing(Product::sku));
        return all;
    }
}
