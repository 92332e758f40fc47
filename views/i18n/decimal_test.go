package i18n

import (
	"math"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// decimal writes what golang.org/x/text's printer wrote for each language, which
// it replaced.
func TestDecimalAsThePrinterWroteIt(t *testing.T) {
	printers := map[string]*message.Printer{"en": message.NewPrinter(language.English), "nl": message.NewPrinter(language.Dutch)}
	values := []float64{0, 0.004, 0.005, 0.5, 1, 9.995, 12.3456, 99.999, 100, 999.5, 1000, 1234.5678, 49.5, 50,
		65536, 999999.999, 1e6, 1234567.891, 1 << 40, -0.5, -1234.5, -1e9, 1e15}
	for lang, p := range printers {
		for _, v := range values {
			for _, d := range []int{0, 1, 2, 3} {
				if got, want := decimal(lang, v, d), p.Sprintf("%.*f", d, v); got != want {
					t.Errorf("%s %v with %d decimals: %q, the printer wrote %q", lang, v, d, got, want)
				}
			}
		}
		for _, v := range []float64{math.Inf(1), math.Inf(-1), math.NaN(), math.Copysign(0, -1)} {
			if got, want := decimal(lang, v, 2), p.Sprintf("%.*f", 2, v); got != want {
				t.Errorf("%s %v: %q, the printer wrote %q", lang, v, got, want)
			}
		}
	}
}

func BenchmarkDecimal(b *testing.B) {
	for range b.N {
		decimal("nl", 1234.5678, 2)
	}
}
