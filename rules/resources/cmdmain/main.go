// GL033 in package main: main and the functions only it calls outside loops live
// as long as the process.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
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

// A probe that main repeats: one socket left open per round.
func probe(addr string) bool {
	// ruleid: GL035
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	fmt.Println(c.LocalAddr())
	return true
}

// Its failure path leaves main's loop (the process ends with it).
func copyOne(dst io.Writer, name string) error {
	// ok: GL032
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, f); err != nil {
		return err
	}
	return f.Close()
}

func watch(addrs []string) {
	for {
		for _, a := range addrs {
			fmt.Println(a, probe(a))
		}
		for _, a := range addrs {
			if err := copyOne(os.Stdout, a); err != nil {
				fmt.Println(err)
				os.Exit(1)
			}
		}
		time.Sleep(time.Second)
	}
}

// Each command of a console loop catches interrupts for itself.
func runCommand(ctx context.Context, name string) error {
	// ruleid: GL033
	cctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	if name == "" {
		stop()
		return nil
	}
	<-cctx.Done()
	return cctx.Err()
}

func console(names []string) {
	for _, n := range names {
		if err := runCommand(context.Background(), n); err != nil {
			fmt.Println(err)
		}
	}
}

func init() {
	console(os.Args[1:])
	convert("a", "b")
	convertAll(os.Args[1:])
	watch(os.Args[1:])
}
