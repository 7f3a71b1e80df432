// Fixtures of GL033 signal-not-stopped.
package fixtures

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// Waits for one signal and returns: later signals go to a channel nobody reads.
func waitForInterrupt() os.Signal {
	c := make(chan os.Signal, 1)
	// ruleid: GL033
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return <-c
}

// The same, undone on the way out.
func waitForInterruptStopped() os.Signal {
	c := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(c)
	return <-c
}

// A server's Run: the early return leaves the channel registered.
type Server struct {
	srv *http.Server
}

func (s *Server) Run(ctx context.Context) error {
	sigs := make(chan os.Signal, 1)
	// ruleid: GL033
	signal.Notify(sigs, syscall.SIGHUP)
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			signal.Stop(sigs)
			return ctx.Err()
		case <-sigs:
			s.reload()
		}
	}
}

func (s *Server) reload() {}

// NotifyContext: the stop function not called when Shutdown fails.
func (s *Server) Serve() error {
	// ruleid: GL033
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go s.srv.ListenAndServe()
	<-ctx.Done()
	if err := s.srv.Shutdown(context.Background()); err != nil {
		return err
	}
	stop()
	return nil
}

func (s *Server) ServeDeferred() error {
	// ok: GL033
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go s.srv.ListenAndServe()
	<-ctx.Done()
	return s.srv.Shutdown(context.Background())
}

// A function that never returns: the process ends with it.
func exitOnSignal() {
	c := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(c, syscall.SIGTERM)
	<-c
	os.Exit(1)
}

// A watcher goroutine owns the channel for the process's lifetime.
func watchSignals(reload func()) {
	c := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(c, syscall.SIGHUP)
	go func() {
		for range c {
			reload()
		}
	}()
}

// A channel given by the caller is the caller's to stop.
func subscribe(c chan os.Signal) {
	// ok: GL033
	signal.Notify(c, syscall.SIGUSR1)
}

// Each channel is handed to the forwarding goroutine before Notify.
func forwardSignals(sigs []os.Signal, handle func(os.Signal)) func() {
	var chans []chan os.Signal
	for _, s := range sigs {
		c := make(chan os.Signal, 1)
		chans = append(chans, c)
		// ok: GL033
		signal.Notify(c, s)
	}
	stop := make(chan struct{})
	go forward(chans, handle, stop)
	return func() { close(stop) }
}

func forward(chans []chan os.Signal, handle func(os.Signal), stop chan struct{}) {
	for _, c := range chans {
		defer signal.Stop(c)
	}
	<-stop
}

// A goroutine started with the channel owns it.
func handleSignals(c chan os.Signal, reload func()) {
	for range c {
		reload()
	}
}

func startReloader(reload func()) {
	c := make(chan os.Signal, 1)
	// ok: GL033
	signal.Notify(c, syscall.SIGHUP)
	go handleSignals(c, reload)
}
