// GL015 ticker-not-stopped: pollUntil creates a ticker and returns without
// calling Stop; before Go 1.23 the ticker keeps running after the return.
// Fix: `defer tk.Stop()` right after time.NewTicker.
package main

import (
	"fmt"
	"time"
)

func pollUntil(ready func() bool, every time.Duration) int {
	tk := time.NewTicker(every)
	polls := 0
	for range tk.C {
		polls++
		if ready() {
			return polls
		}
	}
	return polls
}

func main() {
	start := time.Now()
	n := pollUntil(func() bool {
		return time.Since(start) > 50*time.Millisecond
	}, 10*time.Millisecond)
	fmt.Println("ready after", n, "polls")
}
