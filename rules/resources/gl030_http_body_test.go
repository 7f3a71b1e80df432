// GL030 in tests: an expected failure, and a leak only once the test failed.
package fixtures

import (
	"net/http"
	"testing"
)

func TestUnreachable(t *testing.T) {
	// ok: GL030
	_, err := http.Get("http://127.0.0.1:1/")
	if err == nil {
		t.Fatal("expected an error")
	}
}

func TestStatus(t *testing.T) {
	// ok: GL030
	resp, err := http.Get("http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
		return
	}
	resp.Body.Close()
}

func TestBodyLeft(t *testing.T) {
	// ruleid: GL030
	resp, err := http.Get("http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("X-Test") == "" {
		return
	}
	resp.Body.Close()
}
