// GL005 defer-in-loop: defer f.Close() runs only when main returns, so every
// file the loop opens stays open until then and descriptors pile up.
// Fix: move the loop body into a function (or func() { ... }()) so each defer runs per iteration.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	dir, err := os.MkdirTemp("", "gl005")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	var paths []string
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, fmt.Sprintf("part%d.txt", i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("part %d\n", i)), 0o644); err != nil {
			panic(err)
		}
		paths = append(paths, p)
	}

	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		n, err := io.Copy(io.Discard, f)
		if err != nil {
			panic(err)
		}
		total += n
	}
	fmt.Printf("read %d bytes from %d files\n", total, len(paths))
}
