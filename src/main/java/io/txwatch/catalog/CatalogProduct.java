package io.txwatch.catalog;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A product as the catalog lists it: what price detection compares sales against. */
@Schema(description = "A catalog product")
@RegisterForReflection
public record CatalogProduct(
        @Schema(examples = "LAPTOP-15") String sku,
        @Schema(examples = "Laptop 15\"") String name,
        @Schema(examples = "electronics") String category,
        @Schema(description = "List price in the currency's major unit", examples = "50000.00") BigDecimal listPrice,
        @Schema(description = "ISO 4217 code", examples = "INR") String currency) {
}
