package io.txwatch.detect;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.txwatch.event.TransactionEvent.Geo;

/**
 * The time zone an event most likely happened in, from what its geo says: the country's zone where it has one,
 * the zone nearest in longitude among a large country's zones, or the solar offset of the longitude alone.
 */
final class TimeZones {

    private record Zone(ZoneId id, double longitude) {
    }

    private static final Map<String, String> SINGLE_ZONE = Map.ofEntries(
            Map.entry("IN", "Asia/Kolkata"), Map.entry("NP", "Asia/Kathmandu"), Map.entry("BD", "Asia/Dhaka"),
            Map.entry("LK", "Asia/Colombo"), Map.entry("PK", "Asia/Karachi"), Map.entry("AE", "Asia/Dubai"),
            Map.entry("SA", "Asia/Riyadh"), Map.entry("QA", "Asia/Qatar"), Map.entry("SG", "Asia/Singapore"),
            Map.entry("MY", "Asia/Kuala_Lumpur"), Map.entry("TH", "Asia/Bangkok"), Map.entry("VN", "Asia/Ho_Chi_Minh"),
            Map.entry("PH", "Asia/Manila"), Map.entry("HK", "Asia/Hong_Kong"), Map.entry("CN", "Asia/Shanghai"),
            Map.entry("TW", "Asia/Taipei"), Map.entry("JP", "Asia/Tokyo"), Map.entry("KR", "Asia/Seoul"),
            Map.entry("KE", "Africa/Nairobi"), Map.entry("NG", "Africa/Lagos"), Map.entry("EG", "Africa/Cairo"),
            Map.entry("ZA", "Africa/Johannesburg"), Map.entry("GB", "Europe/London"), Map.entry("IE", "Europe/Dublin"),
            Map.entry("FR", "Europe/Paris"), Map.entry("DE", "Europe/Berlin"), Map.entry("NL", "Europe/Amsterdam"),
            Map.entry("BE", "Europe/Brussels"), Map.entry("ES", "Europe/Madrid"), Map.entry("IT", "Europe/Rome"),
            Map.entry("CH", "Europe/Zurich"), Map.entry("AT", "Europe/Vienna"), Map.entry("SE", "Europe/Stockholm"),
            Map.entry("NO", "Europe/Oslo"), Map.entry("DK", "Europe/Copenhagen"), Map.entry("FI", "Europe/Helsinki"),
            Map.entry("PL", "Europe/Warsaw"), Map.entry("PT", "Europe/Lisbon"), Map.entry("GR", "Europe/Athens"),
            Map.entry("TR", "Europe/Istanbul"), Map.entry("IL", "Asia/Jerusalem"), Map.entry("NZ", "Pacific/Auckland"),
            Map.entry("AR", "America/Argentina/Buenos_Aires"), Map.entry("CO", "America/Bogota"),
            Map.entry("PE", "America/Lima"), Map.entry("CL", "America/Santiago"));

    private static final Map<String, List<Zone>> BY_LONGITUDE = Map.of(
            "US", List.of(zone("America/New_York", -77), zone("America/Chicago", -90), zone("America/Denver", -105),
                    zone("America/Los_Angeles", -120), zone("America/Anchorage", -150), zone("Pacific/Honolulu", -157)),
            "CA", List.of(zone("America/Halifax", -63), zone("America/Toronto", -79), zone("America/Winnipeg", -97),
                    zone("America/Edmonton", -113), zone("America/Vancouver", -123)),
            "AU", List.of(zone("Australia/Perth", 116), zone("Australia/Adelaide", 138), zone("Australia/Sydney", 151)),
            "BR", List.of(zone("America/Sao_Paulo", -46), zone("America/Manaus", -60), zone("America/Rio_Branco", -68)),
            "MX", List.of(zone("America/Mexico_City", -99), zone("America/Hermosillo", -111), zone("America/Tijuana", -117)),
            "RU", List.of(zone("Europe/Moscow", 37), zone("Asia/Yekaterinburg", 61), zone("Asia/Novosibirsk", 83),
                    zone("Asia/Irkutsk", 104), zone("Asia/Vladivostok", 132)),
            "ID", List.of(zone("Asia/Jakarta", 107), zone("Asia/Makassar", 119), zone("Asia/Jayapura", 140)));

    private TimeZones() {
    }

    /** The zone, when the geo names a country or a longitude; UTC when it says nothing. */
    static Optional<ZoneId> of(Geo geo) {
        if (geo == null) {
            return Optional.empty();
        }
        String country = geo.country() != null ? geo.country().toUpperCase() : null;
        if (country != null && SINGLE_ZONE.containsKey(country)) {
            return Optional.of(ZoneId.of(SINGLE_ZONE.get(country)));
        }
        if (geo.lon() == null) {
            return Optional.empty();
        }
        List<Zone> zones = country != null ? BY_LONGITUDE.get(country) : null;
        if (zones != null) {
            return zones.stream().min(Comparator.comparingDouble(zone -> Math.abs(zone.longitude() - geo.lon()))).map(Zone::id);
        }
        return Optional.of(ZoneOffset.ofHours((int) Math.round(Math.max(-12, Math.min(14, geo.lon() / 15)))));
    }

    private static Zone zone(String id, double longitude) {
        return new Zone(ZoneId.of(id), longitude);
    }
}
