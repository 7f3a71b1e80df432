// Fixtures of GL034 cmd-not-waited.
package fixtures

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
)

// The first line of a command's output: a read error returns without Wait.
func firstLine(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	// ruleid: GL034
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), cmd.Wait()
}

// Waited for on every path after the start.
func firstLineWaited(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	// ok: GL034
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer cmd.Wait()
	line, err := bufio.NewReader(out).ReadString('\n')
	return strings.TrimSpace(line), err
}

// Started and forgotten.
func spawn(ctx context.Context, path string) error {
	cmd := exec.CommandContext(ctx, path, "--daemon")
	// ruleid: GL034
	err := cmd.Start()
	return err
}

// A goroutine waits for it.
func spawnWatched(path string, done chan<- error) error {
	cmd := exec.Command(path)
	// ok: GL034
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { done <- cmd.Wait() }()
	return nil
}

// The process is waited for through Process.Wait.
func runAndReap(path string) error {
	cmd := &exec.Cmd{Path: path}
	// ok: GL034
	if err := cmd.Start(); err != nil {
		return err
	}
	_, err := cmd.Process.Wait()
	return err
}

// The caller owns the started command.
type worker struct {
	cmd *exec.Cmd
}

func startWorker(path string) (*worker, error) {
	cmd := exec.Command(path)
	// ok: GL034
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &worker{cmd: cmd}, nil
}

func (w *worker) restart(path string) error {
	cmd := exec.Command(path)
	// ok: GL034
	if err := cmd.Start(); err != nil {
		return err
	}
	w.cmd = cmd
	return nil
}

// A helper of the file waits; the stdin copy's error path does not.
func wait(c *exec.Cmd) error {
	return c.Wait()
}

func feed(path string, in io.Reader) error {
	cmd := exec.Command(path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	// ruleid: GL034
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := io.Copy(stdin, in); err != nil {
		return errors.New("feed: " + err.Error())
	}
	stdin.Close()
	return wait(cmd)
}

// Run, Output and CombinedOutput wait themselves.
func version(path string) (string, error) {
	// ok: GL034
	out, err := exec.Command(path, "--version").Output()
	return string(out), err
}

// A Start that is not exec.Cmd's.
type engine struct{ running bool }

func (e *engine) Start() error {
	e.running = true
	return nil
}

func boot() error {
	e := &engine{}
	// ok: GL034
	if err := e.Start(); err != nil {
		return err
	}
	return nil
}
