// Leak (GL013): fastest starts one goroutine per mirror, all sending on an unbuffered
// channel, but receives only the first answer; the other senders block forever.
// Fix: give the channel room for every answer: make(chan string, len(mirrors)).
package main

import (
	"fmt"
	"runtime"
	"time"
)

func ping(mirror string) time.Duration {
	d := time.Duration(len(mirror)) * time.Millisecond
	time.Sleep(d)
	return d
}

func fastest(mirrors []string) string {
	answers := make(chan string)
	for _, m := range mirrors {
		go func(m string) {
			ping(m)
			answers <- m
		}(m)
	}
	return <-answers
}

func main() {
	mirrors := []string{"eu.example.org", "us-east.example.org", "ap-southeast.example.org"}
	fmt.Println("fastest mirror:", fastest(mirrors))
	time.Sleep(100 * time.Millisecond)
	fmt.Println("goroutines still blocked on their send:", runtime.NumGoroutine()-1)
}
