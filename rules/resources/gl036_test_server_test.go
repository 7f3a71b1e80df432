// Fixtures of GL036 test-server-not-closed.
package fixtures

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hi")) })

// Never closed.
func TestNeverClosed(t *testing.T) {
	// ruleid: GL036
	srv := httptest.NewServer(hello)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Closed on the way out.
func TestDeferred(t *testing.T) {
	// ok: GL036
	srv := httptest.NewServer(hello)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Handed to t.Cleanup as a method value.
func TestCleanup(t *testing.T) {
	// ok: GL036
	srv := httptest.NewTLSServer(hello)
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// An early return skips the Close at the end.
func TestEarlyReturn(t *testing.T) {
	// ruleid: GL036
	srv := httptest.NewServer(hello)
	resp, err := http.Get(srv.URL)
	if err != nil {
		return
	}
	resp.Body.Close()
	srv.Close()
}

// A helper that hands the server to its caller.
func newServer() *httptest.Server {
	// ok: GL036
	srv := httptest.NewUnstartedServer(hello)
	srv.Start()
	return srv
}

var (
	once       sync.Once
	sharedAddr string
)

// Started once for the whole test binary: meant to live as long.
func startShared() {
	// ok: GL036
	srv := httptest.NewServer(hello)
	sharedAddr = srv.Listener.Addr().String()
}

func TestShared(t *testing.T) {
	once.Do(startShared)
	if sharedAddr == "" {
		t.Fatal("no server")
	}
}
