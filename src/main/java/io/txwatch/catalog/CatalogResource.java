package io.txwatch.catalog;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.txwatch.api.InvalidRequestException;
import io.txwatch.api.NotFoundProblemException;
import io.txwatch.api.Problem;
import io.txwatch.event.FieldViolation;

/** Manages the product catalog that price detection compares sales against. */
@Path("/api/v1/catalog/products")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog")
public class CatalogResource {

    static final int MAX_IMPORT = 10_000;

    /** A product's fields other than its sku, which the path carries. */
    public record ProductFields(String name, String category, BigDecimal listPrice, String currency) {
    }

    /** How many products an import stored. */
    public record Imported(int imported) {
    }

    private final CatalogService catalog;
    private final CatalogCache cache;
    private final ObjectMapper json;

    public CatalogResource(CatalogService catalog, CatalogCache cache, ObjectMapper json) {
        this.catalog = catalog;
        this.cache = cache;
        this.json = json;
    }

    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a product")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CatalogProduct.class)))
    @APIResponse(responseCode = "400", description = "Invalid product",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CatalogProduct> put(@PathParam("sku") String sku, ProductFields fields) {
        if (fields == null) {
            throw new InvalidRequestException("$", "a body with name, category, listPrice and currency is required");
        }
        CatalogProduct product = new CatalogProduct(sku, fields.name(), fields.category(), fields.listPrice(), fields.currency());
        List<FieldViolation> violations = CatalogProductValidator.violations(product, "");
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        CatalogProduct normalised = CatalogProductValidator.normalised(product);
        return catalog.save(List.of(normalised)).replaceWith(normalised);
    }

    @GET
    @Path("/{sku}")
    @Operation(summary = "One product")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CatalogProduct.class)))
    @APIResponse(responseCode = "404", description = "Not in the catalog",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CatalogProduct get(@PathParam("sku") String sku) {
        return cache.find(sku).orElseThrow(() -> new NotFoundProblemException("No product has the sku " + sku));
    }

    @GET
    @Operation(summary = "List products in sku order", description = "Page with 'after' = the last sku of the previous page.")
    public List<CatalogProduct> list(@QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return cache.list(after, limit);
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import products from a JSON array",
            description = "All products are valid and stored, or none is and the answer names every bad field by index.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Imported.class)))
    @APIResponse(responseCode = "400", description = "Invalid products; none was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Imported> importJson(byte[] body) {
        List<CatalogProduct> products = new ArrayList<>();
        List<FieldViolation> violations = new ArrayList<>();
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("$", "the body is not valid JSON");
        }
        if (root == null || !root.isArray()) {
            throw new InvalidRequestException("$", "must be a JSON array of products");
        }
        for (int i = 0; i < root.size(); i++) {
            try {
                CatalogProduct product = json.treeToValue(root.get(i), CatalogProduct.class);
                violations.addAll(CatalogProductValidator.violations(product, "[" + i + "]"));
                products.add(product);
            } catch (JacksonException e) {
                violations.add(new FieldViolation("[" + i + "]", "not a product: " + e.getOriginalMessage()));
            }
        }
        return importAll(products, violations);
    }

    @POST
    @Path("/import")
    @Consumes("text/csv")
    @Operation(summary = "Import products from CSV",
            description = "Header line sku,name,category,listPrice,currency (any order), then one product a line.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Imported.class)))
    @APIResponse(responseCode = "400", description = "Invalid products; none was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Imported> importCsv(String body) {
        CatalogCsv.Parsed parsed = CatalogCsv.parse(body);
        return importAll(parsed.products(), new ArrayList<>(parsed.violations()));
    }

    private Uni<Imported> importAll(List<CatalogProduct> products, List<FieldViolation> violations) {
        if (products.isEmpty() && violations.isEmpty()) {
            violations.add(new FieldViolation("$", "no product to import"));
        }
        if (products.size() > MAX_IMPORT) {
            violations.add(new FieldViolation("$", "import at most " + MAX_IMPORT + " products at a time, got " + products.size()));
        }
        Set<String> skus = new HashSet<>();
        for (CatalogProduct product : products) {
            if (product != null && product.sku() != null && !skus.add(product.sku().trim())) {
                violations.add(new FieldViolation("$", "the sku " + product.sku() + " appears more than once"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        List<CatalogProduct> normalised = products.stream().map(CatalogProductValidator::normalised).toList();
        return catalog.save(normalised).replaceWith(new Imported(normalised.size()));
    }
}
