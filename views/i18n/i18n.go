// Package i18n holds the English and Dutch message catalogs and the request's
// language, which the views and handlers read from the context.
package i18n

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Supported languages, the default first.
var Supported = []language.Tag{language.English, language.Dutch}

// CookieName is the cookie that remembers the chosen interface language; the
// language switch sets it and every request reads it.
const CookieName = "lang"

// Codes are the language codes the app accepts in the language switch and cookie.
var Codes = []string{"en", "nl"}

var (
	matcher = language.NewMatcher(Supported)
	// localizers are go-i18n's, for the messages the compiled catalogs leave to it
	// (compiled.go). Loading its bundle parses every message's template: most of a
	// cold start when done at init, so the first message that needs it pays.
	localizers = sync.OnceValue(func() map[string]*goi18n.Localizer {
		bundle := mustBundle()
		return map[string]*goi18n.Localizer{
			"en": goi18n.NewLocalizer(bundle, "en"),
			"nl": goi18n.NewLocalizer(bundle, "nl"),
		}
	})
)

func mustBundle() *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	entries, err := fs.ReadDir(localeFiles, "locales")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if _, err := b.LoadMessageFileFS(localeFiles, "locales/"+e.Name()); err != nil {
			panic(fmt.Sprintf("message catalog %s: %v", e.Name(), err))
		}
	}
	return b
}

// Catalog returns the raw catalog files of a language, for the completeness test:
// the main one (<code>.toml) and one per area (<area>.<code>.toml), by file name.
func Catalog(code string) (map[string][]byte, error) {
	entries, err := fs.ReadDir(localeFiles, "locales")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.Name() != code+".toml" && !strings.HasSuffix(e.Name(), "."+code+".toml") {
			continue
		}
		b, err := localeFiles.ReadFile("locales/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}

// Match picks the language: the remembered choice when it is supported, otherwise
// the best match for the browser's Accept-Language header, otherwise English.
func Match(chosen, acceptLanguage string) string {
	for _, c := range Codes {
		if chosen == c {
			return c
		}
	}
	tag, _ := language.MatchStrings(matcher, acceptLanguage)
	base, _ := tag.Base()
	if base.String() == "nl" {
		return "nl"
	}
	return "en"
}

type ctxKey struct{}

// WithLang returns a context that renders in the given language code.
func WithLang(ctx context.Context, code string) context.Context {
	return context.WithValue(ctx, ctxKey{}, code)
}

// Lang returns the language code of the context, "en" by default.
func Lang(ctx context.Context) string {
	if code, ok := ctx.Value(ctxKey{}).(string); ok {
		return code
	}
	return "en"
}

// plain caches messages without arguments per language: pages ask for the same
// labels hundreds of times, and go-i18n runs its template machinery on every call.
// Each supported language has a map read without a lock or an allocation (a page
// asks hundreds of times), copied with the message added on the first ask for it;
// any other language code is cached in plainOther.
var (
	plain      = map[string]*plainCache{"en": newPlainCache(), "nl": newPlainCache()}
	plainOther sync.Map
)

type plainCache struct {
	mu sync.Mutex
	m  atomic.Pointer[map[string]string]
}

func newPlainCache() *plainCache {
	c := &plainCache{}
	c.m.Store(&map[string]string{})
	return c
}

// add keeps a message, in a copy of the map.
func (c *plainCache) add(id, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.m.Load()
	if _, ok := old[id]; ok {
		return
	}
	m := maps.Clone(old)
	m[id] = v
	c.m.Store(&m)
}

// T translates a message id. args are pairs of template field names and values:
// T(ctx, "users.count", "Count", 3).
func T(ctx context.Context, id string, args ...any) string {
	if len(args) > 0 {
		return localize(ctx, id, nil, args)
	}
	lang := Lang(ctx)
	if c := plain[lang]; c != nil {
		if v, ok := (*c.m.Load())[id]; ok {
			return v
		}
		v := localize(ctx, id, nil, nil)
		c.add(id, v)
		return v
	}
	key := lang + "\x00" + id
	if v, ok := plainOther.Load(key); ok {
		return v.(string)
	}
	v := localize(ctx, id, nil, nil)
	plainOther.Store(key, v)
	return v
}

// N translates a message id with plural forms chosen by count; the template sees
// the count as .Count.
func N(ctx context.Context, id string, count int, args ...any) string {
	return localize(ctx, id, count, append(args, "Count", count))
}

// Map translates a message id with its template data given as a map, as model
// validation errors carry them.
func Map(ctx context.Context, id string, data map[string]any) string {
	if len(data) == 0 {
		return T(ctx, id)
	}
	args := make([]any, 0, 2*len(data))
	for k, v := range data {
		args = append(args, k, v)
	}
	return localize(ctx, id, nil, args)
}

func localize(ctx context.Context, id string, count any, args []any) string {
	if out, ok := fill(Lang(ctx), id, count, args); ok {
		return out
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	l := localizers()[Lang(ctx)]
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		// A missing message shows its id, which the catalog test catches before release.
		return id
	}
	return s
}

// Decimal formats a number with the language's decimal separator and the given
// number of decimals.
func Decimal(ctx context.Context, v float64, decimals int) string {
	return decimal(Lang(ctx), v, decimals)
}

// decimal formats v as golang.org/x/text's printer for lang formats "%.*f" (the
// test compares them): digits grouped by three, "1,234.50" in English and
// "1.234,50" in Dutch. The printer took a tenth of a Shared mailboxes page's time.
func decimal(lang string, v float64, decimals int) string {
	group, point := byte(','), byte('.')
	if lang == "nl" {
		group, point = '.', ','
	}
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case math.IsNaN(v):
		return "NaN"
	case v == 0:
		v = 0 // the printer writes a negative zero as 0
	}
	var buf [64]byte
	plain := strconv.AppendFloat(buf[:0], v, 'f', decimals, 64)
	out := make([]byte, 0, len(plain)+len(plain)/3+1)
	digits := plain
	if digits[0] == '-' {
		out = append(out, '-')
		digits = digits[1:]
	}
	whole := bytes.IndexByte(digits, '.')
	if whole < 0 {
		whole = len(digits)
	}
	for i := 0; i < whole; i++ {
		if i > 0 && (whole-i)%3 == 0 {
			out = append(out, group)
		}
		out = append(out, digits[i])
	}
	if whole < len(digits) {
		out = append(out, point)
		out = append(out, digits[whole+1:]...)
	}
	return string(out)
}

// GB formats a size in bytes as gigabytes, the unit the admin center uses.
func GB(ctx context.Context, bytes int64) string {
	gb := float64(bytes) / float64(1<<30)
	decimals := 2
	if gb >= 100 || gb == float64(int64(gb)) {
		decimals = 0
	}
	return strings.TrimSpace(Decimal(ctx, gb, decimals)) + " GB"
}
