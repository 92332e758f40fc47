package models

import (
	"context"
	"slices"
	"strconv"
	"testing"
)

// The license products are kept at the auth generation: a change to them on one
// instance, or by a statement outside the app, is seen on the next request of
// every instance.
func TestLicenseProductsReachEveryInstance(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	ctx := context.Background()
	want, err := two.readLicenseProducts(ctx)
	if err != nil || len(want) == 0 {
		t.Fatalf("products: %v, %v", want, err)
	}
	started := request(two)
	for i := 0; i < 2; i++ { // the second read comes from the cache
		got, err := two.LicenseProducts(started)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("read %d: %v, %v; want %v", i, got, err, want)
		}
		got[0].Name, got[0].Assigned = "changed by the caller", 7 // Licenses fills in Assigned
	}
	gen, _ := two.authGeneration(started)
	if _, ok := two.auth.licenseProducts(gen); !ok {
		t.Fatal("the products are not kept")
	}

	changes := []string{
		`UPDATE license_products SET seats = seats + 5 WHERE id = ` + strconv.FormatUint(uint64(want[0].ID), 10),
		`INSERT INTO license_products (sku, name, includes_mailbox, seats) VALUES ('NEW_SKU', 'A new product', false, 3)`,
		`DELETE FROM license_products WHERE sku = 'NEW_SKU'`,
	}
	for _, stmt := range changes {
		// Outside the app (a script in psql): no write of this process follows it.
		if err := one.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
		fresh, err := two.readLicenseProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*Store{one, two} {
			if got, err := s.LicenseProducts(request(s)); err != nil || !slices.Equal(got, fresh) {
				t.Fatalf("after %q: %v, %v; want %v", stmt, got, err, fresh)
			}
		}
	}
}
