// Command goref measures Go's own go/scanner and go/parser on the bench
// corpus, the references libgoleak's rows are compared with.
//
// Usage: goref [-passes N] [-warmup N] [-rows scanner,parser] FILE_LIST
//
// FILE_LIST holds NUL-separated paths (find CORPUS -name '*.go' -print0).
// Every file is read into memory before any timing; each row runs -warmup
// untimed passes (default 1: the heap grows to its working size) first. Output, one line each,
// the protocol bench/run parses (MB = 10^6 bytes):
//
//	CORPUS FILES <n> BYTES <b>
//	ROW <name> MBPS <median MB/s>
//	RANGE <name> MIN <slowest> MAX <fastest pass's MB/s>
//
// Per-pass figures and sanity counters go to stderr.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

type file struct {
	path string
	src  []byte
}

func load(listPath string) ([]file, int) {
	list, err := os.ReadFile(listPath)
	if err != nil {
		fatal(err)
	}
	var files []file
	total := 0
	for _, p := range bytes.Split(list, []byte{0}) {
		if len(p) == 0 {
			continue
		}
		src, err := os.ReadFile(string(p))
		if err != nil {
			fatal(err)
		}
		files = append(files, file{string(p), src})
		total += len(src)
	}
	if len(files) == 0 {
		fatal(fmt.Errorf("%s lists no file", listPath))
	}
	return files, total
}

// scanPass tokenizes every file with go/scanner, mode 0 (comments skipped),
// as go/parser's own scanner does. A FileSet per file: each file is handled
// and dropped on its own, as libgoleak's units are.
func scanPass(files []file) (tokens, errs int) {
	for _, f := range files {
		fset := token.NewFileSet()
		tf := fset.AddFile(f.path, fset.Base(), len(f.src))
		var s scanner.Scanner
		s.Init(tf, f.src, nil, 0)
		for {
			_, tok, _ := s.Scan()
			if tok == token.EOF {
				break
			}
			tokens++
		}
		errs += s.ErrorCount
	}
	return tokens, errs
}

// parsePass builds the full go/ast of every file, comments included.
func parsePass(files []file) (decls, errs int) {
	for _, f := range files {
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f.path, f.src, parser.ParseComments)
		if err != nil {
			errs++
		}
		if af != nil {
			decls += len(af.Decls)
		}
	}
	return decls, errs
}

type row struct {
	key, name string
	pass      func([]file) (int, int)
}

var rows = []row{
	{"scanner", "go/scanner", scanPass},
	{"parser", "go/parser (with comments)", parsePass},
}

func main() {
	passes := flag.Int("passes", 5, "timed passes over the corpus per row")
	warmup := flag.Int("warmup", 1, "untimed passes per row before the timed ones")
	only := flag.String("rows", "scanner,parser", "rows to run: scanner, parser")
	flag.Parse()
	if flag.NArg() != 1 || *passes < 1 || *warmup < 0 {
		fmt.Fprintln(os.Stderr, "usage: goref [-passes N] [-warmup N] [-rows scanner,parser] FILE_LIST")
		os.Exit(2)
	}
	// Single-threaded like every other row: no GC or scanner work on a
	// second core.
	runtime.GOMAXPROCS(1)

	files, total := load(flag.Arg(0))
	fmt.Printf("CORPUS FILES %d BYTES %d\n", len(files), total)

	want := map[string]bool{}
	for _, k := range strings.Split(*only, ",") {
		want[strings.TrimSpace(k)] = true
	}
	for _, r := range rows {
		if !want[r.key] {
			continue
		}
		for w := 0; w < *warmup; w++ {
			t0 := time.Now()
			n, errs := r.pass(files)
			fmt.Fprintf(os.Stderr, "  %-28s warm-up %d/%d: %7.3f s  (count %d, %d errors)\n",
				r.name, w+1, *warmup, time.Since(t0).Seconds(), n, errs)
		}
		mbps := make([]float64, *passes)
		for p := range mbps {
			t0 := time.Now()
			n, errs := r.pass(files)
			dt := time.Since(t0).Seconds()
			mbps[p] = float64(total) / 1e6 / dt
			fmt.Fprintf(os.Stderr, "  %-28s pass %d/%d: %9.2f MB/s  %7.3f s  (count %d, %d errors)\n",
				r.name, p+1, *passes, mbps[p], dt, n, errs)
		}
		sort.Float64s(mbps)
		med := mbps[len(mbps)/2]
		if len(mbps)%2 == 0 {
			med = (mbps[len(mbps)/2-1] + mbps[len(mbps)/2]) / 2
		}
		fmt.Printf("ROW %s MBPS %.2f\n", r.name, med)
		fmt.Printf("RANGE %s MIN %.2f MAX %.2f\n", r.name, mbps[0], mbps[len(mbps)-1])
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "goref:", err)
	os.Exit(1)
}
