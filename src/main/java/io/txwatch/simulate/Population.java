package io.txwatch.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The shop's customers and when they shop. Each shopper buys only inside a window of their home city's local hours
 * (daytime, or the night for a night worker); how busy the shop is at an instant follows from who is inside their
 * window then, shaped by a daily and a weekly curve.
 */
final class Population {

    /** No day shopper's usual hours start earlier, so that their purchase in the small hours stands out. */
    static final int FIRST_SHOPPING_HOUR = 7;

    /** A night worker's window starts at this hour or one of the two after it, and lasts 8 to 10 hours. */
    private static final int NIGHT_SHIFT_FIRST_HOUR = 20;

    private static final long QUARTER_HOUR_MILLIS = 15 * 60_000L;

    /** Relative demand by local hour: nothing at night, a lunchtime and a larger evening peak. */
    private static final double[] DAILY = {
            0, 0, 0, 0, 0, 0, 0, 0.30, 0.45, 0.60, 0.75, 0.85, 0.95, 1.00, 0.90, 0.80, 0.75, 0.80, 0.90, 1.00, 1.00,
            0.90, 0.70, 0.45 };
    /** Relative demand by local weekday, Monday first: weekends are busier. */
    private static final double[] WEEKLY = { 0.95, 0.95, 1.00, 1.00, 1.05, 1.25, 1.20 };

    private static final Set<String> SOUTH_ASIA = Set.of("IN", "NP", "BD", "LK");
    private static final List<String> SOUTH_ASIAN_FIRST = List.of("Aarav", "Aditi", "Ananya", "Arjun", "Diya",
            "Ishaan", "Kavya", "Meera", "Neha", "Nikhil", "Priya", "Rahul", "Riya", "Rohan", "Sanjay", "Sneha", "Tanvi",
            "Vikram", "Aisha", "Kabir", "Lakshmi", "Manish", "Pooja", "Farhan", "Zoya", "Harpreet", "Deepak", "Shreya");
    private static final List<String> SOUTH_ASIAN_LAST = List.of("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta",
            "Singh", "Khan", "Mehta", "Das", "Banerjee", "Joshi", "Kulkarni", "Menon", "Chatterjee", "Rao", "Verma",
            "Pillai", "Shah", "Bose", "Agarwal", "Fernandes", "Gill", "Mishra");
    private static final List<String> OTHER_FIRST = List.of("Emma", "Liam", "Olivia", "Noah", "Sofia", "Lucas", "Mia",
            "Mateo", "Hana", "Kenji", "Amara", "Omar", "Chloe", "Ethan", "Lea", "Felix", "Zara", "Ahmed", "Grace",
            "Daniel", "Yuki", "Wei", "Nadia", "Samuel");
    private static final List<String> OTHER_LAST = List.of("Smith", "Garcia", "Tanaka", "Chen", "Okafor", "Silva",
            "Brown", "Martin", "Schmidt", "Dubois", "Wilson", "Kim", "Nguyen", "Haddad", "Mwangi", "Taylor", "Rossi",
            "Novak", "Santos", "Lee", "Walker", "Ito", "Ali", "Lopez");

    private static final List<String> CHANNELS = List.of("web", "mobile-app", "marketplace", "pos");
    private static final double[] CHANNEL_SHARES = { 0.35, 0.40, 0.15, 0.10 };
    private static final List<String> SOUTH_ASIAN_METHODS = List.of("upi", "card", "wallet", "cod");
    private static final double[] SOUTH_ASIAN_METHOD_SHARES = { 0.40, 0.30, 0.15, 0.15 };
    private static final List<String> OTHER_METHODS = List.of("card", "paypal", "wallet");
    private static final double[] OTHER_METHOD_SHARES = { 0.60, 0.25, 0.15 };
    private static final double[] BASKET_LINE_SHARES = { 0.55, 0.30, 0.15 };

    private static final Map<String, List<String>> USER_AGENTS = Map.of(
            "web", List.of(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
            "mobile-app", List.of("TxShop/5.12.0 (Android 14)", "TxShop/5.12.0 (iOS 17.5)"),
            "marketplace", List.of("MarketHub-Gateway/2.4"),
            "pos", List.of("TxPOS/1.8"));
    /** Documentation address blocks (RFC 5737): realistic-looking, never anyone's real address. */
    private static final List<String> NETWORKS = List.of("192.0.2", "198.51.100", "203.0.113");

    /**
     * One customer and their habits. {@code lat}/{@code lon} is their home address within a few km of the city
     * centre; they buy between local {@code firstHour}:00 and {@code endHour}:00, usually {@code basketLines}
     * different items for about {@code habitualSpend} in the shop's currency; {@code activity} weighs how often;
     * {@code locates} says whether their purchases carry a location; they pay in {@code currency}.
     */
    record Shopper(int index, String id, String name, String email, City home, double lat, double lon, int firstHour,
            int endHour, int basketLines, double habitualSpend, String channel, String paymentMethod, String ip,
            double activity, boolean locates, String currency) {

        /** Whether the hour is in their window, which ends past midnight ({@code endHour} above 24) for a night worker. */
        boolean usuallyBuysAt(int localHour) {
            return Math.floorMod(localHour - firstHour, 24) < endHour - firstHour;
        }

        boolean worksNights() {
            return endHour > 24;
        }

        /** The software a purchase through this channel reports; each shopper keeps their own device. */
        String userAgent(String purchaseChannel) {
            List<String> agents = USER_AGENTS.get(purchaseChannel);
            return agents.get(index % agents.size());
        }
    }

    private final List<Shopper> shoppers;
    private final double[] daily;
    private final Map<City, List<Shopper>> byCity;
    /** Per city and local hour: the shoppers whose window holds that hour, and the running sum of their activity. */
    private final Shopper[][][] activeAt;
    private final double[][][] cumulativeActivity;
    /** The busiest quarter-hour of a weekday, against which intensity is measured. */
    private final double peak;

    private Population(List<Shopper> shoppers, StreamProfile profile) {
        this.shoppers = shoppers;
        this.daily = DAILY.clone();
        for (int hour = 0; hour < FIRST_SHOPPING_HOUR; hour++) {
            daily[hour] = Math.max(daily[hour], profile.nightDemand);
        }
        City[] cities = City.values();
        this.byCity = new EnumMap<>(City.class);
        this.activeAt = new Shopper[cities.length][24][];
        this.cumulativeActivity = new double[cities.length][24][];
        for (City city : cities) {
            List<Shopper> residents = shoppers.stream().filter(s -> s.home() == city).toList();
            byCity.put(city, residents);
            for (int hour = 0; hour < 24; hour++) {
                int h = hour;
                Shopper[] active = residents.stream().filter(s -> s.usuallyBuysAt(h)).toArray(Shopper[]::new);
                double[] cumulative = new double[active.length];
                double sum = 0;
                for (int i = 0; i < active.length; i++) {
                    sum += active[i].activity();
                    cumulative[i] = sum;
                }
                activeAt[city.ordinal()][hour] = active;
                cumulativeActivity[city.ordinal()][hour] = cumulative;
            }
        }
        double busiest = 0;
        for (long quarter = 0; quarter < 96; quarter++) {
            long instant = quarter * QUARTER_HOUR_MILLIS;
            double demand = 0;
            for (City city : cities) {
                demand += daily[city.localHour(instant)] * activityAt(city, city.localHour(instant));
            }
            busiest = Math.max(busiest, demand);
        }
        this.peak = busiest;
    }

    static Population generate(int count, Money money, SplittableRandom random, StreamProfile profile) {
        City[] cities = City.values();
        double[] shares = Arrays.stream(cities).mapToDouble(city -> city.customerShare).toArray();
        List<Shopper> shoppers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            City home = cities[Chance.weighted(random, shares)];
            boolean southAsian = SOUTH_ASIA.contains(home.country);
            String first = Chance.oneOf(random, southAsian ? SOUTH_ASIAN_FIRST : OTHER_FIRST);
            String last = Chance.oneOf(random, southAsian ? SOUTH_ASIAN_LAST : OTHER_LAST);
            String id = "cust-%05d".formatted(i + 1);
            String email = (first + "." + last + (i + 1) + "@example.com").toLowerCase(Locale.ROOT);
            double[] address = City.near(home.lat, home.lon, 6, random);
            int firstHour = FIRST_SHOPPING_HOUR + random.nextInt(7);
            int endHour = firstHour + 8 + random.nextInt(24 - firstHour - 8 + 1);
            int basketLines = 1 + Chance.weighted(random, BASKET_LINE_SHARES);
            double habitualSpend = money.fromRupees(Chance.logNormal(random, 2_500, 0.9, 300, 60_000));
            String channel = CHANNELS.get(Chance.weighted(random, CHANNEL_SHARES));
            String paymentMethod = southAsian
                    ? SOUTH_ASIAN_METHODS.get(Chance.weighted(random, SOUTH_ASIAN_METHOD_SHARES))
                    : OTHER_METHODS.get(Chance.weighted(random, OTHER_METHOD_SHARES));
            String ip = Chance.oneOf(random, NETWORKS) + "." + (1 + random.nextInt(254));
            double activity = Chance.logNormal(random, 1.0, profile.activitySpread, profile.activityLowest,
                    profile.activityHighest);
            // drawn only where the profile has them, so that the default stream stays what it was
            if (profile.nightShiftShoppers > 0 && random.nextDouble() < profile.nightShiftShoppers) {
                firstHour = NIGHT_SHIFT_FIRST_HOUR + random.nextInt(3);
                endHour = firstHour + 8 + random.nextInt(3);
            }
            boolean locates = profile.unlocatedShoppers == 0 || random.nextDouble() >= profile.unlocatedShoppers;
            String currency = profile.localCurrencies ? localCurrency(home, money) : money.currency();
            shoppers.add(new Shopper(i, id, first + " " + last, email, home, address[0], address[1], firstHour, endHour,
                    basketLines, habitualSpend, channel, paymentMethod, ip, activity, locates, currency));
        }
        return new Population(List.copyOf(shoppers), profile);
    }

    /** The currency of the shopper's home country where the shop offers it, else the shop's. */
    private static String localCurrency(City home, Money money) {
        String local = Currency.getInstance(new Locale.Builder().setRegion(home.country).build()).getCurrencyCode();
        return Money.isSimulated(local) ? local : money.currency();
    }

    List<Shopper> shoppers() {
        return shoppers;
    }

    List<Shopper> livingIn(City city) {
        return byCity.get(city);
    }

    /** How busy the shop is at an instant: 1.0 at a weekday's peak, 0 when no one is inside their usual hours. */
    double intensity(long epochMillis) {
        double demand = 0;
        for (City city : City.values()) {
            demand += demandIn(city, epochMillis);
        }
        return demand / peak;
    }

    /** Intensity changes only on quarter hours, since every city's UTC offset is a whole number of quarter hours. */
    static long nextChange(long epochMillis) {
        return (Math.floorDiv(epochMillis, QUARTER_HOUR_MILLIS) + 1) * QUARTER_HOUR_MILLIS;
    }

    /** A shopper inside their usual hours, the more active and the busier their city's hour, the likelier. */
    Optional<Shopper> pick(long epochMillis, SplittableRandom random) {
        City[] cities = City.values();
        double[] demand = new double[cities.length];
        double total = 0;
        for (City city : cities) {
            demand[city.ordinal()] = demandIn(city, epochMillis);
            total += demand[city.ordinal()];
        }
        if (total == 0) {
            return Optional.empty();
        }
        City city = cities[Chance.weighted(random, demand)];
        int hour = city.localHour(epochMillis);
        double[] cumulative = cumulativeActivity[city.ordinal()][hour];
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int found = Arrays.binarySearch(cumulative, target);
        int index = found >= 0 ? found + 1 : -found - 1;
        return Optional.of(activeAt[city.ordinal()][hour][Math.min(index, cumulative.length - 1)]);
    }

    private double demandIn(City city, long epochMillis) {
        int hour = city.localHour(epochMillis);
        return daily[hour] * WEEKLY[city.localDay(epochMillis).ordinal()] * activityAt(city, hour);
    }

    private double activityAt(City city, int hour) {
        double[] cumulative = cumulativeActivity[city.ordinal()][hour];
        return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    }
}
