// A file for the C API example: init starts a goroutine (EX001, the rule
// the example registers), and loadAll defers in a loop (GL005, built in).
package cache

import (
	"os"
	"time"
)

var hits int

func init() {
	go func() {
		for range time.Tick(time.Minute) {
			hits = 0
		}
	}()
}

func loadAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
	}
	return nil
}
