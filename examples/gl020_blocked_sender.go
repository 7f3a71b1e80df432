// Leak (GL020): fetch stops waiting after the timeout, and the goroutine then blocks
// forever on its send, because the channel is unbuffered and nobody receives.
// Fix: make(chan string, 1), so that the single send always completes.
package main

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

var errTimeout = errors.New("backend timed out")

func slowBackend() string {
	time.Sleep(50 * time.Millisecond)
	return "payload"
}

func fetch(timeout time.Duration) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- slowBackend()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v, nil
	case <-timer.C:
		return "", errTimeout
	}
}

func main() {
	_, err := fetch(10 * time.Millisecond)
	fmt.Println("fetch:", err)
	time.Sleep(100 * time.Millisecond)
	fmt.Println("goroutines still blocked on their send:", runtime.NumGoroutine()-1)
}
