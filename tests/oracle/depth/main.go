// depth: where Go's own parser stops nesting. For each shape below (a Go
// file whose middle repeats n times), finds the largest n that go/parser
// accepts without "exceeded max nesting depth", and writes the file at that
// n (NAME.ok.go) and at n+1 (NAME.over.go) into the output directory, so
// that another parser can be checked against the same boundary. Shapes that
// Go accepts up to the search's ceiling are written at the ceiling only
// (NAME.free.go): go/parser does not count their nesting.
//
// usage: depth OUTDIR
package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// A shape: head, then open repeated n times, then middle, then close
// repeated n times, then tail.
type shape struct {
	name                            string
	head, open, middle, close, tail string
}

const expr = "package p\n\nvar x = "
const stmt = "package p\n\nfunc f() {\n\t"

var shapes = []shape{
	// expressions
	{"unary", expr, "- ", "1", "", "\n"},
	{"not", expr, "!", "b", "", "\n"},
	{"recv", expr, "<-", "c", "", "\n"},
	{"star", expr, "*", "p", "", "\n"},
	{"addr", expr, "& ", "v", "", "\n"},
	{"binary_flat", expr + "1", "+1", "", "", "\n"},
	{"binary_mixed", expr + "1", "*1+1", "", "", "\n"},
	{"binary_paren", expr, "1+(", "1", ")", "\n"},
	{"call_chain", expr + "f", "()", "", "", "\n"},
	{"selector_chain", expr + "x", ".y", "", "", "\n"},
	{"index_chain", expr + "x", "[0]", "", "", "\n"},
	{"slice_chain", expr + "x", "[1:2]", "", "", "\n"},
	{"assert_chain", expr + "x", ".(T)", "", "", "\n"},
	{"method_chain", expr + "x", ".m()", "", "", "\n"},
	{"nested_call", expr, "f(", "1", ")", "\n"},
	{"nested_index", expr, "a[", "0", "]", "\n"},
	{"typed_literal", expr, "[]any{", "", "}", "\n"},
	{"map_literal", expr, "map[int]any{1: ", "nil", "}", "\n"},
	{"untyped_literal", expr + "[][]int{", "{", "", "}", "}\n"},
	{"funclit", expr, "func() int { return ", "1", " }()", "\n"},
	{"conversion", expr, "(*T)(", "1", ")", "\n"},
	// types
	{"array_type", "package p\n\nvar x ", "[1]", "int", "", "\n"},
	{"slice_type", "package p\n\nvar x ", "[]", "int", "", "\n"},
	{"pointer_type", "package p\n\nvar x ", "*", "int", "", "\n"},
	{"chan_type", "package p\n\nvar x ", "chan ", "int", "", "\n"},
	{"map_type", "package p\n\nvar x ", "map[int]", "int", "", "\n"},
	{"func_type", "package p\n\nvar x ", "func()", "int", "", "\n"},
	{"struct_type", "package p\n\nvar x ", "struct { X ", "int", " }", "\n"},
	{"interface_type", "package p\n\nvar x ", "interface { M() ", "int", " }", "\n"},
	{"generic_type", "package p\n\nvar x ", "T[", "int", "]", "\n"},
	// statements
	{"block", stmt, "{", "", "}", "\n}\n"},
	{"if", stmt, "if b {", "", "}", "\n}\n"},
	{"else_if", stmt, "if b {} else ", "{}", "", "\n}\n"},
	{"for", stmt, "for {", "", "}", "\n}\n"},
	{"range", stmt, "for range c {", "", "}", "\n}\n"},
	{"switch", stmt, "switch { default: ", "", "}", "\n}\n"},
	{"type_switch", stmt, "switch x.(type) { default: ", "", "}", "\n}\n"},
	{"select", stmt, "select { default: ", "", "}", "\n}\n"},
	{"label", stmt, "L: ", "", "", "\n}\n"},
	{"go", stmt, "go func() { ", "", " }()", "\n}\n"},
	{"defer", stmt, "defer func() { ", "", " }()", "\n}\n"},
	{"assign_funclit", stmt, "x = func() { ", "", " }", "\n}\n"},
}

const ceiling = 250000

// go/parser's maxNestLev: where to look first.
const maxNest = 100000

func build(s shape, n int) []byte {
	var b strings.Builder
	b.WriteString(s.head)
	b.WriteString(strings.Repeat(s.open, n))
	b.WriteString(s.middle)
	b.WriteString(strings.Repeat(s.close, n))
	b.WriteString(s.tail)
	return []byte(b.String())
}

// tooDeep reports whether go/parser stops the file for its nesting.
func tooDeep(src []byte) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.SkipObjectResolution)
	return err != nil && strings.Contains(err.Error(), "exceeded max nesting depth")
}

// bracket returns n accepted and m > n too deep for shape s, close to each
// other when the shape nests by 1, 2 or 3 levels per repetition (go/parser
// takes some 100 ms per deep parse: a search from 0 would take minutes).
func bracket(s shape) (int, int) {
	for k := 1; k <= 3; k++ {
		lo, hi := maxNest/k-16, maxNest/k+16
		if !tooDeep(build(s, lo)) && tooDeep(build(s, hi)) {
			return lo, hi
		}
	}
	return 0, ceiling
}

func write(dir, name string, src []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: depth OUTDIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	for _, s := range shapes {
		if !tooDeep(build(s, ceiling)) {
			write(dir, s.name+".free.go", build(s, ceiling))
			fmt.Printf("%s free\n", s.name)
			continue
		}
		lo, hi := bracket(s)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if tooDeep(build(s, mid)) {
				hi = mid
			} else {
				lo = mid
			}
		}
		write(dir, s.name+".ok.go", build(s, lo))
		write(dir, s.name+".over.go", build(s, hi))
		fmt.Printf("%s %d\n", s.name, lo)
	}
}
