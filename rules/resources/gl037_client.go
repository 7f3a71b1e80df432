// Fixtures of GL037 client-not-closed.
package fixtures

import (
	"context"
	"errors"

	"github.com/fsnotify/fsnotify"
	"google.golang.org/grpc"
)

func ping(ctx context.Context, cc *grpc.ClientConn) error { return nil }

// A failed ping returns with the connection's goroutines running.
func check(ctx context.Context, addr string) error {
	// ruleid: GL037
	conn, err := grpc.Dial(addr)
	if err != nil {
		return err
	}
	if err := ping(ctx, conn); err != nil {
		return err
	}
	return conn.Close()
}

// Closed on the way out.
func checkClosed(ctx context.Context, addr string) error {
	// ok: GL037
	conn, err := grpc.DialContext(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	return ping(ctx, conn)
}

type Client struct{ cc *grpc.ClientConn }

// Kept in the client it returns.
func newClient(addr string) (*Client, error) {
	// ok: GL037
	cc, err := grpc.NewClient(addr)
	if err != nil {
		return nil, err
	}
	return &Client{cc: cc}, nil
}

// A watcher left running when adding the path fails.
func watch(path string, on func(fsnotify.Event)) error {
	// ruleid: GL037
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	if err := w.Add(path); err != nil {
		return errors.New("cannot watch " + path)
	}
	go func() {
		for ev := range w.Events {
			on(ev)
		}
	}()
	return nil
}
