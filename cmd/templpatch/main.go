// Command templpatch points the code `templ generate` wrote at templfast's
// JoinStringErrs (see views/templfast): `make templ` runs it right after templ, over
// every *_templ.go under the directories given (default: views). A file already
// patched, or one with no expression, is left as it is.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	call       = "templ.JoinStringErrs("
	fastCall   = "templfast.JoinStringErrs("
	anchor     = "import templruntime \"github.com/a-h/templ/runtime\"\n"
	fastImport = "import templfast \"github.com/contoso/admincenter/views/templfast\"\n"
)

func main() {
	dirs := os.Args[1:]
	if len(dirs) == 0 {
		dirs = []string{"views"}
	}
	n := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, "_templ.go") {
				return err
			}
			changed, err := patch(path)
			if changed {
				n++
			}
			return err
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "templpatch:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("(✓) templpatch: %d files use templfast.JoinStringErrs\n", n)
}

// patch rewrites one generated file; false when there was nothing to do.
func patch(path string) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	if !bytes.Contains(src, []byte(call)) {
		return false, nil
	}
	if !bytes.Contains(src, []byte(anchor)) {
		return false, fmt.Errorf("%s: no templ runtime import to add templfast after", path)
	}
	out := bytes.ReplaceAll(src, []byte(call), []byte(fastCall))
	out = bytes.Replace(out, []byte(anchor), []byte(anchor+fastImport), 1)
	return true, os.WriteFile(path, out, 0o644)
}
