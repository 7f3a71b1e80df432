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
