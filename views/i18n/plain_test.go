package i18n

import (
	"context"
	"sync"
	"testing"
)

// T keeps what it translated without arguments: asked again, from many requests at
// once, it gives the message localize gives, in each language, and a kept message
// costs no allocation.
func TestPlainMessagesAreKept(t *testing.T) {
	ids := append(keys(t, "en"), "no.such.message")
	for _, code := range Codes {
		ctx := WithLang(context.Background(), code)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for _, id := range ids {
					if got, want := T(ctx, id), localize(ctx, id, nil, nil); got != want {
						t.Errorf("%s %s: %q, want %q", code, id, got, want)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	ctx := WithLang(context.Background(), "nl")
	if n := testing.AllocsPerRun(100, func() { T(ctx, "reports.held.direct") }); n != 0 {
		t.Errorf("a kept message: %v allocations, want none", n)
	}
}
