// GL033 in package main: main and the functions only it calls live as long
// as the process.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(c, syscall.SIGINT)
	go func() {
		<-c
		fmt.Println("interrupted")
		os.Exit(130)
	}()
	if err := run(); err != nil {
		os.Exit(1)
	}
}

func run() error {
	hup := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(hup, syscall.SIGHUP)
	<-hup
	return nil
}

// A tool's main opens its input once: the process ends with it.
func convert(in, out string) {
	// ok: GL032
	src, err := os.Open(in)
	if err != nil {
		os.Exit(1)
	}
	fmt.Fprintln(os.Stdout, src.Name(), out)
}

// Once per argument: the files pile up until the process ends.
func convertAll(args []string) {
	for _, a := range args {
		// ruleid: GL032
		f, err := os.Open(a)
		if err != nil {
			continue
		}
		fmt.Println(f.Name())
	}
}

func init() {
	convert("a", "b")
	convertAll(os.Args[1:])
}
