// GL015 ticker-not-stopped: pollUntil creates a ticker and returns without
// calling Stop; before Go 1.23 every call leaves its ticker running.
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
	for _, service := range []string{"db", "cache", "queue"} {
		start := time.Now()
		n := pollUntil(func() bool {
			return time.Since(start) > 50*time.Millisecond
		}, 10*time.Millisecond)
		fmt.Println(service, "ready after", n, "polls")
	}
}
