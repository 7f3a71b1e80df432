// Fixtures of GL035 socket-not-closed.
package fixtures

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// A failed write returns with the connection open.
func send(addr string, req []byte) error {
	// ruleid: GL035
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	if _, err := conn.Write(req); err != nil {
		return err
	}
	return conn.Close()
}

// Closed on every path.
func sendClosed(addr string, req []byte) error {
	// ok: GL035
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write(req)
	return err
}

// A bad greeting returns with the connection open; reading does not close it.
func greet(ctx context.Context, addr string) (string, error) {
	var d net.Dialer
	// ruleid: GL035
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		conn.Close()
		return "", err
	}
	if line != "hello\n" {
		return "", errors.New("bad greeting")
	}
	conn.Close()
	return line, nil
}

// Handed to the caller.
func open(addr string) (net.Conn, error) {
	// ok: GL035
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	return conn, nil
}

// Wrapped by tls.Client and returned: the TLS connection holds it.
func openTLS(addr string, cfg *tls.Config) (*tls.Conn, error) {
	// ok: GL035
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return tls.Client(raw, cfg), nil
}

// A listener left open when the server cannot start.
func serve(addr string, ready func() error, h http.Handler) error {
	// ruleid: GL035
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if err := ready(); err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	return http.Serve(ln, h)
}

// Served: http.Serve closes the listener when it returns.
func serveAll(addr string, h http.Handler) error {
	// ok: GL035
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, h)
}

// Copying does not close the connection, and the function ends with it open.
func fetch(addr string, w io.Writer) error {
	// ruleid: GL035
	conn, err := tls.Dial("tcp", addr, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, conn)
	return err
}

// The listener wrapped in its own variable is still followed no further:
// the TLS listener holds it.
func listenTLS(addr string, cfg *tls.Config) (net.Listener, error) {
	// ok: GL035
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	return ln, nil
}
