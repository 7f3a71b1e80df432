// GL018 context-cancel-leak: lookup returns early on the empty-key path
// without calling cancel, so the context and its timer live until timeout.
// Fix: `defer cancel()` right after context.WithTimeout.
package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

func fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return strings.ToUpper(key), nil
}

func lookup(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	if key == "" {
		return "", errors.New("lookup: empty key")
	}
	v, err := fetch(ctx, key)
	cancel()
	return v, err
}

func main() {
	for _, key := range []string{"alpha", "", "beta"} {
		v, err := lookup(context.Background(), key)
		fmt.Printf("%q -> %q, %v\n", key, v, err)
	}
}
