// GL002 subslice-retention: header is a 16-byte slice of a 1 MiB buffer read
// whole, so the package variable keeps the whole buffer reachable.
// Fix: copy the bytes: header = append([]byte(nil), data[:16]...) (bytes.Clone on Go 1.20+).
package main

import (
	"bytes"
	"fmt"
	"io"
)

// header outlives main's local variables.
var header []byte

func main() {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	data, err := io.ReadAll(bytes.NewReader(payload))
	if err != nil {
		panic(err)
	}
	header = data[:16]
	fmt.Printf("kept %q, backed by an array of %d bytes\n", header, cap(header))
}
