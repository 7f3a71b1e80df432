// A file for the C API example: poll stops its ticker on one path only (EX001,
// the rule the example registers, and the built-in GL015), steady stops it on
// every path, and loadAll defers in a loop (GL005, built in).
package cache

import (
	"context"
	"os"
	clock "time"
)

func poll(ctx context.Context, refresh func() error) error {
	t := clock.NewTicker(clock.Minute)
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
			if err := refresh(); err != nil {
				return err
			}
		}
	}
}

func steady(ctx context.Context, refresh func()) {
	t := clock.NewTicker(clock.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			refresh()
		}
	}
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
