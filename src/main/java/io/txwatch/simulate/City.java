package io.txwatch.simulate;

import java.time.DayOfWeek;
import java.util.SplittableRandom;

/**
 * Where shoppers live and buy. Each city keeps one fixed UTC offset: daylight saving time is left out, so that a
 * shopper's local hours stay the same all year and a demo needs no time-zone database.
 */
enum City {
    MUMBAI("IN", "Mumbai", 19.0760, 72.8777, 330, 13),
    DELHI("IN", "Delhi", 28.6139, 77.2090, 330, 13),
    BENGALURU("IN", "Bengaluru", 12.9716, 77.5946, 330, 10),
    HYDERABAD("IN", "Hyderabad", 17.3850, 78.4867, 330, 7),
    CHENNAI("IN", "Chennai", 13.0827, 80.2707, 330, 6),
    KOLKATA("IN", "Kolkata", 22.5726, 88.3639, 330, 5),
    PUNE("IN", "Pune", 18.5204, 73.8567, 330, 5),
    AHMEDABAD("IN", "Ahmedabad", 23.0225, 72.5714, 330, 3),
    JAIPUR("IN", "Jaipur", 26.9124, 75.7873, 330, 2),
    LUCKNOW("IN", "Lucknow", 26.8467, 80.9462, 330, 2),
    KOCHI("IN", "Kochi", 9.9312, 76.2673, 330, 2),
    KATHMANDU("NP", "Kathmandu", 27.7172, 85.3240, 345, 1),
    DHAKA("BD", "Dhaka", 23.8103, 90.4125, 360, 1),
    COLOMBO("LK", "Colombo", 6.9271, 79.8612, 330, 1),
    DUBAI("AE", "Dubai", 25.2048, 55.2708, 240, 4),
    RIYADH("SA", "Riyadh", 24.7136, 46.6753, 180, 1),
    SINGAPORE("SG", "Singapore", 1.3521, 103.8198, 480, 3),
    KUALA_LUMPUR("MY", "Kuala Lumpur", 3.1390, 101.6869, 480, 1),
    BANGKOK("TH", "Bangkok", 13.7563, 100.5018, 420, 1),
    HONG_KONG("HK", "Hong Kong", 22.3193, 114.1694, 480, 1),
    TOKYO("JP", "Tokyo", 35.6762, 139.6503, 540, 1),
    SYDNEY("AU", "Sydney", -33.8688, 151.2093, 600, 2),
    NAIROBI("KE", "Nairobi", -1.2921, 36.8219, 180, 1),
    JOHANNESBURG("ZA", "Johannesburg", -26.2041, 28.0473, 120, 1),
    BERLIN("DE", "Berlin", 52.5200, 13.4050, 60, 1),
    PARIS("FR", "Paris", 48.8566, 2.3522, 60, 1),
    LONDON("GB", "London", 51.5074, -0.1278, 0, 4),
    TORONTO("CA", "Toronto", 43.6532, -79.3832, -300, 2),
    NEW_YORK("US", "New York", 40.7128, -74.0060, -300, 3),
    SAN_FRANCISCO("US", "San Francisco", 37.7749, -122.4194, -480, 2),
    SAO_PAULO("BR", "São Paulo", -23.5505, -46.6333, -180, 1);

    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final double KM_PER_DEGREE = 111.32;

    final String country;
    final String displayName;
    final double lat;
    final double lon;
    final int utcOffsetMinutes;
    /** Relative share of the shop's customers living here: an Indian shop that also sells abroad. */
    final int customerShare;

    City(String country, String displayName, double lat, double lon, int utcOffsetMinutes, int customerShare) {
        this.country = country;
        this.displayName = displayName;
        this.lat = lat;
        this.lon = lon;
        this.utcOffsetMinutes = utcOffsetMinutes;
        this.customerShare = customerShare;
    }

    int localHour(long epochMillis) {
        return (int) (Math.floorMod(localMinute(epochMillis), 1440L) / 60);
    }

    DayOfWeek localDay(long epochMillis) {
        return DayOfWeek.THURSDAY.plus(Math.floorMod(Math.floorDiv(localMinute(epochMillis), 1440L), 7L));
    }

    private long localMinute(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L) + utcOffsetMinutes;
    }

    double distanceKm(double toLat, double toLon) {
        return distanceKm(lat, lon, toLat, toLon);
    }

    /** Great-circle distance (haversine). */
    static double distanceKm(double fromLat, double fromLon, double toLat, double toLon) {
        double dLat = Math.toRadians(toLat - fromLat);
        double dLon = Math.toRadians(toLon - fromLon);
        double a = StrictMath.pow(StrictMath.sin(dLat / 2), 2) + StrictMath.cos(Math.toRadians(fromLat))
                * StrictMath.cos(Math.toRadians(toLat)) * StrictMath.pow(StrictMath.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(Math.min(1.0, StrictMath.sqrt(a)));
    }

    /** A point at most {@code radiusKm} from the given one, uniformly over the disc. */
    static double[] near(double lat, double lon, double radiusKm, SplittableRandom random) {
        double distance = radiusKm * StrictMath.sqrt(random.nextDouble());
        double bearing = random.nextDouble() * 2 * Math.PI;
        double pointLat = lat + distance * StrictMath.cos(bearing) / KM_PER_DEGREE;
        double pointLon = lon + distance * StrictMath.sin(bearing) / (KM_PER_DEGREE * StrictMath.cos(Math.toRadians(lat)));
        return new double[] { round(pointLat), round(pointLon) };
    }

    /** Five decimals, about a metre: what a geolocation service reports, and stable in JSON. */
    private static double round(double degrees) {
        return Math.round(degrees * 100_000d) / 100_000d;
    }
}
