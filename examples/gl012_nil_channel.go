// Leak (GL012): `var done chan string` is never made, so it is nil and the send in
// the goroutine blocks forever; the caller only ever sees its timeout.
// Fix: create the channel with `done := make(chan string, 1)`.
package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

func process(job string) <-chan string {
	var done chan string
	go func() {
		done <- strings.ToUpper(job)
	}()
	return done
}

func main() {
	results := process("quarterly report")
	timer := time.NewTimer(100 * time.Millisecond)
	defer timer.Stop()
	select {
	case r := <-results:
		fmt.Println("result:", r)
	case <-timer.C:
		fmt.Println("no result: the worker is stuck sending on a nil channel")
	}
	fmt.Println("goroutines:", runtime.NumGoroutine())
}
