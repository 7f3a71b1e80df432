// GL001 substring-retention: lastLine is a short substring of a multi-megabyte
// string read whole, so it keeps the entire text alive for as long as it lives.
// Fix: store a copy instead: lastLine = strings.Clone(text[i+1:]).
package main

import (
	"fmt"
	"io"
	"strings"
)

// lastLine outlives main's local variables.
var lastLine string

func main() {
	var sb strings.Builder
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, "%06d INFO request served\n", i)
	}
	data, err := io.ReadAll(strings.NewReader(sb.String()))
	if err != nil {
		panic(err)
	}
	text := strings.TrimSuffix(string(data), "\n")
	i := strings.LastIndexByte(text, '\n')
	lastLine = text[i+1:]
	fmt.Printf("kept %q (%d bytes), which pins a %d-byte string\n", lastLine, len(lastLine), len(text))
}
