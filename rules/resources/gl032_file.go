// Fixtures of GL032 file-not-closed.
package fixtures

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"strings"
)

// An error while writing returns with the file open.
func writeFile(path string, data []byte) error {
	// ruleid: GL032
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// Closed on the error path too.
func writeFileClosed(path string, data []byte) error {
	// ok: GL032
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Copying into the file does not close it.
func copyTo(dst string, src io.Reader) (int64, error) {
	// ruleid: GL032
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	return io.Copy(f, src)
}

// bufio wraps the file; a scan error returns without closing it.
func countLines(path string) (int, error) {
	// ruleid: GL032
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	f.Close()
	return n, nil
}

// A missing file is not an error here: errors.Is(err, ...) holds only for an error.
func readOptional(path string) ([]byte, error) {
	// ok: GL032
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// A closing helper of the file, through a second variable.
func closeQuietly(c io.Closer) {
	_ = c.Close()
}

func loadConfig(path string, v interface{}) error {
	// ok: GL032
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	in := f
	defer closeQuietly(in)
	return json.NewDecoder(in).Decode(v)
}

// The file is the caller's: returned, or kept in a struct.
func openLog(dir string) (*os.File, error) {
	// ok: GL032
	f, err := os.OpenFile(filepath.Join(dir, "app.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

type logger struct {
	out *os.File
	w   *bufio.Writer
}

func newLogger(path string) (*logger, error) {
	// ok: GL032
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &logger{out: f, w: bufio.NewWriter(f)}, nil
}

// A temporary file renamed into place; the rename's error path leaks it.
func atomicWrite(path string, data []byte) error {
	// ruleid: GL032
	tmp, err := ioutil.TempFile(filepath.Dir(path), ".tmp-")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	return tmp.Close()
}

// In a loop: a continue leaves the file of this iteration open.
func firstJSON(paths []string, v interface{}) error {
	for _, p := range paths {
		// ruleid: GL032
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if !strings.HasSuffix(p, ".json") {
			continue
		}
		err = json.NewDecoder(f).Decode(v)
		f.Close()
		if err == nil {
			return nil
		}
	}
	return errors.New("no JSON file")
}

// Passed to a function of another file: it owns the file now.
func handOff(path string, sink func(*os.File) error) error {
	// ok: GL032
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return sink(f)
}

// The files go to a goroutine that closes them.
func streamAll(paths []string, out chan<- string) {
	for _, p := range paths {
		// ok: GL032
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		go func() {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				out <- sc.Text()
			}
		}()
	}
}

// Talk of os.Open(path) in a comment, or "os.Create(name)" in a string.
func help() string {
	// ok: GL032
	return "use os.Create(name) and close the file"
}

// Opened in one branch or the other, checked once after both.
func writeReport(outfile string, data []byte) error {
	var out *os.File
	var err error
	if outfile == "" {
		// ok: GL032
		out, err = os.Create(filepath.Join(os.TempDir(), "report.txt"))
	} else {
		// ok: GL032
		out, err = os.Create(outfile)
	}
	if err != nil {
		return err
	}
	_, err = out.Write(data)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// The close is deferred on the wrong branch: the opened file is never closed.
func truncateTo(path string, n int64) {
	// ruleid: GL032
	fd, err := os.OpenFile(path, os.O_RDWR, 0o644)
	if err != nil {
		defer fd.Close()
	}
	if fd == nil {
		return
	}
	fd.Truncate(n)
}

// A retry in the error branch reassigns the error: the check after it
// still guards both opens.
func createRetrying(path string, removeOld func() error) error {
	// ok: GL032
	f, err := os.Create(path)
	if err != nil && removeOld != nil {
		if removeOld() == nil {
			// ok: GL032
			f, err = os.Create(path)
		}
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// The variable is given the second file while it still holds the first.
func concatFirstLines(a, b string) (string, error) {
	// ruleid: GL032
	f, err := os.Open(a)
	if err != nil {
		return "", err
	}
	first, _ := bufio.NewReader(f).ReadString('\n')
	// ok: GL032
	f, err = os.Open(b)
	if err != nil {
		return "", err
	}
	defer f.Close()
	second, _ := bufio.NewReader(f).ReadString('\n')
	return first + second, nil
}

// Each round opens a file into the variable declared before the loop and
// closes only the last one.
func sizes(paths []string) (int64, error) {
	var f *os.File
	var total int64
	for _, p := range paths {
		var err error
		// ruleid: GL032
		f, err = os.Open(p)
		if err != nil {
			return 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return 0, err
		}
		total += st.Size()
	}
	if f != nil {
		f.Close()
	}
	return total, nil
}

// The first file lives on in old, closed after the second is opened.
func swapLog(path string, cur *os.File) (*os.File, error) {
	// ok: GL032
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	old := f
	// ok: GL032
	f, err = os.OpenFile(path+".1", os.O_APPEND|os.O_WRONLY, 0o644)
	old.Close()
	if err != nil {
		return nil, err
	}
	cur.Close()
	return f, nil
}

// The deferred closure, made first, closes whatever the variable holds at
// the return; each earlier file is closed before it is replaced.
func lastLine(paths []string) (string, error) {
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	line := ""
	for _, p := range paths {
		if f != nil {
			f.Close()
		}
		var err error
		// ok: GL032
		f, err = os.Open(p)
		if err != nil {
			return "", err
		}
		line, _ = bufio.NewReader(f).ReadString('\n')
	}
	return line, nil
}

// A zip archive holds its file open until Close.
func manifest(path string) ([]byte, error) {
	// ruleid: GL032
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if f.Name == "manifest.json" {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			zr.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, errors.New("no manifest")
}

func entries(path string) (int, error) {
	// ok: GL032
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	return len(zr.File), nil
}
