package io.txwatch.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.txwatch.event.FieldViolation;

class CatalogCsvTest {

    @Test
    void anUnreadablePriceIsNamedAlongsideTheRowsOtherFaults() {
        CatalogCsv.Parsed parsed = CatalogCsv.parse("sku,name,category,listPrice,currency\nA1, ,books,12,5O,EUR\nA2,Pen,office,abc,XYZ\n");

        assertThat(parsed.violations()).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("line 2.name", "line 2.currency", "line 3.listPrice", "line 3.currency");
        assertThat(parsed.violations()).filteredOn(violation -> violation.field().equals("line 3.listPrice"))
                .singleElement().satisfies(violation -> assertThat(violation.message()).isEqualTo("must be a decimal number, got 'abc'"));
    }

    @Test
    void aValidFileGivesEveryProduct() {
        CatalogCsv.Parsed parsed = CatalogCsv.parse("sku,name,category,listPrice,currency\r\nA1,\"Book, hardback\",books,12.50,eur\r\n");

        assertThat(parsed.violations()).isEmpty();
        assertThat(parsed.products()).singleElement().satisfies(product -> {
            assertThat(product.name()).isEqualTo("Book, hardback");
            assertThat(product.listPrice()).isEqualByComparingTo("12.50");
        });
    }

    @Test
    void aQuotedFieldMayHoldALineBreakAndLaterRowsAreNamedByTheirOwnLine() {
        CatalogCsv.Parsed parsed = CatalogCsv.parse("sku,name,category,listPrice,currency\n"
                + "A1,\"Book,\nhardback\",books,12.50,EUR\n\nA2,Pen,office,-1,EUR\n");

        assertThat(parsed.products()).extracting(CatalogProduct::name).containsExactly("Book,\nhardback", "Pen");
        assertThat(parsed.violations()).extracting(FieldViolation::field).containsExactly("line 5.listPrice");
    }

    @Test
    void aFileThatIsNotCsvIsRefusedWithWhereItBroke() {
        CatalogCsv.Parsed parsed = CatalogCsv.parse("sku,name,category,listPrice,currency\nA1,\"Book,books,12.50,EUR\n");

        assertThat(parsed.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.message()).startsWith("not readable as CSV"));
    }
}
