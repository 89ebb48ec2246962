package io.txwatch.catalog;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A catalog product as stored in table {@code product}. */
@Entity
@Table(name = "product")
public class Product {

    @Id
    public String sku;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String category;

    @Column(name = "list_price", nullable = false, precision = 19, scale = 4)
    public BigDecimal listPrice;

    @Column(nullable = false, columnDefinition = "char(3)")
    public String currency;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    static Product of(CatalogProduct product, Instant updatedAt) {
        Product entity = new Product();
        entity.sku = product.sku();
        entity.name = product.name();
        entity.category = product.category();
        entity.listPrice = product.listPrice();
        entity.currency = product.currency();
        entity.updatedAt = updatedAt;
        return entity;
    }

    CatalogProduct toCatalogProduct() {
        // numeric(19,4) comes back as 50000.0000; show it as 50000.00, keeping finer digits where they exist
        BigDecimal price = listPrice.setScale(Math.max(2, listPrice.stripTrailingZeros().scale()));
        return new CatalogProduct(sku, name, category, price, currency);
    }
}
