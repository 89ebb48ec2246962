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

    private static final Map<String, ZoneId> SINGLE_ZONE = Map.ofEntries(
            entry("IN", "Asia/Kolkata"), entry("NP", "Asia/Kathmandu"), entry("BD", "Asia/Dhaka"),
            entry("LK", "Asia/Colombo"), entry("PK", "Asia/Karachi"), entry("AE", "Asia/Dubai"),
            entry("SA", "Asia/Riyadh"), entry("QA", "Asia/Qatar"), entry("SG", "Asia/Singapore"),
            entry("MY", "Asia/Kuala_Lumpur"), entry("TH", "Asia/Bangkok"), entry("VN", "Asia/Ho_Chi_Minh"),
            entry("PH", "Asia/Manila"), entry("HK", "Asia/Hong_Kong"), entry("CN", "Asia/Shanghai"),
            entry("TW", "Asia/Taipei"), entry("JP", "Asia/Tokyo"), entry("KR", "Asia/Seoul"),
            entry("KE", "Africa/Nairobi"), entry("NG", "Africa/Lagos"), entry("EG", "Africa/Cairo"),
            entry("ZA", "Africa/Johannesburg"), entry("GB", "Europe/London"), entry("IE", "Europe/Dublin"),
            entry("FR", "Europe/Paris"), entry("DE", "Europe/Berlin"), entry("NL", "Europe/Amsterdam"),
            entry("BE", "Europe/Brussels"), entry("ES", "Europe/Madrid"), entry("IT", "Europe/Rome"),
            entry("CH", "Europe/Zurich"), entry("AT", "Europe/Vienna"), entry("SE", "Europe/Stockholm"),
            entry("NO", "Europe/Oslo"), entry("DK", "Europe/Copenhagen"), entry("FI", "Europe/Helsinki"),
            entry("PL", "Europe/Warsaw"), entry("PT", "Europe/Lisbon"), entry("GR", "Europe/Athens"),
            entry("TR", "Europe/Istanbul"), entry("IL", "Asia/Jerusalem"), entry("NZ", "Pacific/Auckland"),
            entry("AR", "America/Argentina/Buenos_Aires"), entry("CO", "America/Bogota"),
            entry("PE", "America/Lima"), entry("CL", "America/Santiago"));

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
            return Optional.of(SINGLE_ZONE.get(country));
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

    private static Map.Entry<String, ZoneId> entry(String country, String zone) {
        return Map.entry(country, ZoneId.of(zone));
    }

    private static Zone zone(String id, double longitude) {
        return new Zone(ZoneId.of(id), longitude);
    }
}
