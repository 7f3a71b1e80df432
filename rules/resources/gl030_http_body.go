// Fixtures of GL030 http-body-not-closed: `goleak test rules/resources.yml`.
package fixtures

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

type Status struct {
	Version string `json:"version"`
}

// A status check that returns before closing on a bad status.
func fetchStatus(base string) (*Status, error) {
	// ruleid: GL030
	resp, err := http.Get(base + "/status")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status: %s", resp.Status)
	}
	defer resp.Body.Close()
	var s Status
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// The usual shape: closed right after the error check.
func fetchStatusClosed(base string) (*Status, error) {
	// ok: GL030
	resp, err := http.Get(base + "/status")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var s Status
	return &s, json.NewDecoder(resp.Body).Decode(&s)
}

// A client of the file; the body is read, never closed.
type Client struct {
	hc      *http.Client
	baseURL string
}

func (c *Client) Version(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/version", nil)
	if err != nil {
		return "", err
	}
	// ruleid: GL030
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Closed through a second variable.
func (c *Client) Ping() error {
	// ok: GL030
	resp, err := c.hc.Get(c.baseURL + "/ping")
	if err != nil {
		return err
	}
	body := resp.Body
	defer body.Close()
	_, err = io.Copy(io.Discard, body)
	return err
}

// A helper of the file drains and closes the body.
func drain(r *http.Response) {
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
}

func (c *Client) Touch() error {
	// ok: GL030
	resp, err := c.hc.Post(c.baseURL+"/touch", "text/plain", nil)
	if err != nil {
		return err
	}
	defer drain(resp)
	if resp.StatusCode >= 300 {
		return errors.New(resp.Status)
	}
	return nil
}

// A helper of the file only looks at the response: it does not close it.
func checkStatus(r *http.Response) error {
	if r.StatusCode >= 400 {
		return fmt.Errorf("http %d", r.StatusCode)
	}
	return nil
}

func (c *Client) Delete(url string) error {
	req, err := http.NewRequest(http.MethodDelete, url, nil)
	if err != nil {
		return err
	}
	// ruleid: GL030
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return checkStatus(resp)
}

// The caller gets the response and closes it.
func open(url string) (*http.Response, error) {
	// ok: GL030
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return resp, nil
}

// Handed to a goroutine, sent on a channel, stored, passed on.
type fetcher struct {
	last    *http.Response
	results chan *http.Response
}

func (f *fetcher) store(url string) error {
	// ok: GL030
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	f.last = resp
	return nil
}

func (f *fetcher) send(url string) error {
	// ok: GL030
	resp, err := http.Head(url)
	if err != nil {
		return err
	}
	f.results <- resp
	return nil
}

func (f *fetcher) background(url string) error {
	// ok: GL030
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
	}()
	return nil
}

func (f *fetcher) pass(url string, handle func(*http.Response) error) error {
	// ok: GL030
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return handle(resp)
}

// Closed in a deferred closure that also reports the error.
func fetchLogged(url string) (n int64, err error) {
	// ok: GL030
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return io.Copy(io.Discard, resp.Body)
}

// A poller whose loop continues past a bad response without closing it.
func poll(ctx context.Context, url string) error {
	client := &http.Client{Timeout: 5 * time.Second}
	for ctx.Err() == nil {
		// ruleid: GL030
		resp, err := client.Get(url)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			time.Sleep(time.Second)
			continue
		}
		resp.Body.Close()
		return nil
	}
	return ctx.Err()
}

// Only the error of the request matters here: the response is dropped.
func warmUp(url string) error {
	// ruleid: GL030
	_, err := http.Get(url)
	return err
}

// A nil check on the response closes on both paths.
func probe(url string) bool {
	// ok: GL030
	resp, err := http.DefaultClient.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	return err == nil && resp.StatusCode == http.StatusOK
}

// Not an http client: a cache whose Get returns a value and an error.
type cache struct{ m map[string]string }

func (c *cache) Get(key string) (string, error) {
	v, ok := c.m[key]
	if !ok {
		return "", errors.New("miss")
	}
	return v, nil
}

func lookup(c *cache, key string) string {
	// ok: GL030
	v, err := c.Get(key)
	if err != nil {
		return ""
	}
	return v
}

// Mentions in comments and strings are not calls: http.Get(url) here.
func describe() string {
	// ok: GL030
	return "resp, err := http.Get(url) // then close resp.Body"
}

// A HEAD response's body is http.NoBody: there is nothing to close.
func (c *Client) Exists(url string) (bool, error) {
	req, err := http.NewRequest(http.MethodHead, url, nil)
	if err != nil {
		return false, err
	}
	// ok: GL030
	resp, err := c.hc.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// The caller reads the decoder: the body goes with it.
func (c *Client) Stream(url string) (*json.Decoder, error) {
	// ok: GL030
	resp, err := c.hc.Get(url)
	if err != nil {
		return nil, err
	}
	return json.NewDecoder(resp.Body), nil
}

// An error through an or: the body of a bad status is left open.
func (c *Client) Health(url string) error {
	// ruleid: GL030
	resp, err := c.hc.Get(url)
	if err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %v", err)
	}
	return resp.Body.Close()
}
