// GL016 time-after-in-loop: drain calls time.After on every iteration; before
// Go 1.23 each call allocates a timer that lives until it fires.
// Fix: create one time.NewTimer before the loop (defer Stop) and Reset it.
package main

import (
	"fmt"
	"time"
)

func drain(events <-chan int, idle time.Duration) int {
	n := 0
	for {
		select {
		case <-events:
			n++
		case <-time.After(idle):
			return n
		}
	}
}

func main() {
	events := make(chan int, 10000)
	for i := 0; i < cap(events); i++ {
		events <- i
	}
	n := drain(events, time.Minute/2000)
	fmt.Println("drained", n, "events, creating as many timers")
}
