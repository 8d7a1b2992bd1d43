package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var inputCols = []string{"id", "score", "text"}

// bigCSV writes n rows of a survey and returns its path and bytes.
func bigCSV(t *testing.T, n int) (string, []byte) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,score,text\n")
	for i := range n {
		fmt.Fprintf(&b, "R%06d,%d,信号很好但是资费太贵了\n", i, i%11)
	}
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, []byte(b.String())
}

// readSome opens path and reads k records.
func readSome(t *testing.T, path string, k int) Source {
	t.Helper()
	src, err := Open(context.Background(), path, Options{Columns: inputCols})
	if err != nil {
		t.Fatal(err)
	}
	for range k {
		if _, err := src.Next(); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// TestInputDigestIsOfBytesRead: the size and digest are of the bytes read,
// whatever the path holds once reading is done.
func TestInputDigestIsOfBytesRead(t *testing.T) {
	path, data := bigCSV(t, 1000)
	src := readSome(t, path, 0)
	defer src.Close()
	if err := drain(src); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("id,score,text\nX,1,another file\n"), 0o644)
	sum := sha256.Sum256(data)
	if got := src.Input(); got.Bytes != int64(len(data)) || got.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("got %+v, want %d bytes, sha256 %x", got, len(data), sum)
	}
}

// TestInputChangedWhileRead: a file truncated, appended to, rewritten in
// place or replaced while it is read fails at its end with ErrInputChanged,
// instead of publishing part of it.
func TestInputChangedWhileRead(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(path string, data []byte) error
		want   string
	}{
		{"truncated", func(p string, d []byte) error { return os.Truncate(p, int64(len(d)/2)) }, "bytes at open"},
		{"appended", func(p string, d []byte) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			f.WriteString("Z1,9,late row\n")
			return f.Close()
		}, "bytes at open"},
		{"rewritten in place", func(p string, d []byte) error {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			f.WriteAt([]byte("Q"), int64(len(d)-20))
			f.Close()
			later := time.Now().Add(time.Second)
			return os.Chtimes(p, later, later)
		}, "modified"},
		{"replaced", func(p string, d []byte) error {
			n := p + ".new"
			if err := os.WriteFile(n, d, 0o644); err != nil {
				return err
			}
			st, _ := os.Stat(p)
			os.Chtimes(n, st.ModTime(), st.ModTime())
			return os.Rename(n, p)
		}, "replaced"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, data := bigCSV(t, 200_000) // 7 MB: far more than one buffer
			src := readSome(t, path, 10)
			defer src.Close()
			if err := tc.change(path, data); err != nil {
				t.Fatal(err)
			}
			err := drain(src)
			if !errors.Is(err, ErrInputChanged) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want ErrInputChanged naming %s and saying %q", err, path, tc.want)
			}
		})
	}
}

// TestInputRefusesSpecialFiles: a FIFO is refused at once unless
// special files are asked for; a directory or a device too.
func TestInputRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		done := make(chan error, 1)
		go func() {
			_, err := Open(context.Background(), p, Options{Format: "csv", Columns: inputCols})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
				t.Errorf("%s: got %v, want ErrNotRegular naming it", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Open still blocked after 5 s", p)
		}
	}
}

// TestInputFIFOCancels: with special files allowed, a FIFO is read; a run
// cancelled while it waits for the writer, or while the writer stalls, ends
// at once with the context's error.
func TestInputFIFOCancels(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	o := Options{Format: "csv", Columns: inputCols, SpecialFiles: true}

	// Read: a writer sends two rows and closes.
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			w.WriteString("id,score,text\nR1,9,好\nR2,3,差\n")
			w.Close()
		}
	}()
	src, err := Open(context.Background(), fifo, o)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for {
		_, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	src.Close()
	if n != 2 {
		t.Errorf("read %d rows from the FIFO, want 2", n)
	}

	// No writer: cancelled while opening.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	if _, err := Open(ctx, fifo, o); !errors.Is(err, context.Canceled) {
		t.Errorf("opening with no writer, cancelled: got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancelled open returned after %s", d)
	}

	// A writer that sends the header and a row and stalls: cancelled while
	// reading (while the encoding's sample is read, or after).
	stall := make(chan struct{})
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.WriteString("id,score,text\nR1,9,好\n")
		<-stall
		w.Close()
	}()
	defer close(stall)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start = time.Now()
	src, err = Open(ctx, fifo, o)
	if err == nil {
		err = drain(src)
		src.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("stalled writer, cancelled: got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancelled read returned after %s", d)
	}
}
