// Package static embeds the stylesheet, scripts and icons the pages load, and names
// them with a content hash so browsers may cache them for good.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

// Files are the embedded static files, served under /static/.
//
//go:embed css/app.css js/*.js favicon.svg
var Files embed.FS

var versions = hashAll()

func hashAll() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Files.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}

// URL returns the address of a static file with its content hash as version.
func URL(path string) string {
	if v, ok := versions[path]; ok {
		return "/static/" + path + "?v=" + v
	}
	return "/static/" + path
}
