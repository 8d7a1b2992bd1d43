package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"syscall"
	"time"
)

// ErrNotRegular means an input is a FIFO, a device or a socket, which a
// nightly job would wait on for ever; input.special_files reads it anyway.
var ErrNotRegular = errors.New("not a regular file (set input.special_files: true to read a FIFO or a device)")

// ErrInputChanged means an input file changed while it was read (truncated,
// appended to, rewritten or replaced): what was read is not the file the
// manifest would describe, so the file fails (exit 65). Rerun when the
// producer has finished writing it.
var ErrInputChanged = errors.New("input changed while it was read")

// Info is what the manifest records of an input file: the bytes read
// and their SHA-256, computed as they were read.
type Info struct {
	Bytes  int64
	SHA256 string
	// Empty: the file has no header row (zero bytes, or blank), so no
	// table; the caller decides what that means (ErrEmptyFile).
	Empty bool `json:",omitempty"`
}

// inputFile is an open input file. Every byte read through Read is hashed;
// a random-access format hashes the whole file in one pass first (hashAll)
// and then reads through ReadAt. Reads fail with ctx's error once it is
// done, and a read blocked on a FIFO is released by closing the file.
type inputFile struct {
	f       *os.File
	path    string
	at      os.FileInfo // at open
	regular bool
	h       hash.Hash
	n       int64 // bytes hashed
	whole   bool  // hashAll has hashed the file: reads after it are not hashed again
	ctx     context.Context
	stop    func() bool
	closed  bool
	// encoding and encodingWhy are the text encoding openText chose, and
	// why ("" for formats that are not text).
	encoding, encodingWhy string
}

// openInput opens path for reading. A file that is not regular is refused
// unless special is set.
func openInput(ctx context.Context, path string, special bool) (*inputFile, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() && !special {
		return nil, fmt.Errorf("%s: %w: %s", path, ErrNotRegular, fi.Mode().Type())
	}
	f, err := openCancellable(ctx, path, fi.Mode()&os.ModeNamedPipe != 0)
	if err != nil {
		return nil, err
	}
	at, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	in := &inputFile{f: f, path: path, at: at, regular: at.Mode().IsRegular(), h: sha256.New(), ctx: ctx}
	in.stop = context.AfterFunc(ctx, func() { f.Close() })
	return in, nil
}

// openCancellable opens path for reading. Opening a FIFO waits for its
// writer: when ctx is done first, the wait is released by opening the FIFO
// for writing, and ctx's error returned. Go reads a FIFO through its poller,
// so the Close that cancellation does releases a blocked read too.
func openCancellable(ctx context.Context, path string, fifo bool) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !fifo {
		return os.Open(path)
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
	}
	// Until the opener has started waiting, opening for writing finds no
	// reader (ENXIO): try again until it is released.
	for {
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		select {
		case o := <-ch:
			if o.f != nil {
				o.f.Close()
			}
			return nil, fmt.Errorf("%s: waiting for the FIFO's writer: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Read reads the file in order, hashing what it returns.
func (in *inputFile) Read(p []byte) (int, error) {
	if err := in.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := in.f.Read(p)
	if !in.whole {
		in.h.Write(p[:n])
		in.n += int64(n)
	}
	if err != nil && in.ctx.Err() != nil {
		err = in.ctx.Err() // the read was released by cancellation
	}
	return n, err
}

// ReadAt reads at an offset, for random-access formats (hashed by hashAll).
func (in *inputFile) ReadAt(p []byte, off int64) (int, error) {
	if err := in.ctx.Err(); err != nil {
		return 0, err
	}
	return in.f.ReadAt(p, off)
}

// Seek and Size complete the io.ReadSeeker and size a Parquet reader needs.
func (in *inputFile) Seek(off int64, whence int) (int64, error) { return in.f.Seek(off, whence) }

func (in *inputFile) Size() int64 { return in.at.Size() }

// hashAll hashes the whole file in one pass and leaves the offset at 0: for
// formats read at random (xlsx, parquet), so that the digest is of the bytes
// this open file holds, whatever happens to the path later.
func (in *inputFile) hashAll() error {
	if _, err := io.Copy(io.Discard, in); err != nil {
		return fmt.Errorf("%s: %w", in.path, err)
	}
	in.whole = true
	_, err := in.f.Seek(0, io.SeekStart)
	return err
}

// verify reports ErrInputChanged when the file is not as it was at open:
// another size or modification time, another file at the path, or, for a
// file read in order, fewer or more bytes read than it held.
func (in *inputFile) verify() error {
	if !in.regular {
		return nil
	}
	now, err := in.f.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", in.path, err)
	}
	var why string
	switch path, perr := os.Stat(in.path); {
	case now.Size() != in.at.Size():
		why = fmt.Sprintf("%d bytes at open, %d at the end", in.at.Size(), now.Size())
	case !now.ModTime().Equal(in.at.ModTime()):
		why = fmt.Sprintf("modified at %s while read (opened at modification time %s)", now.ModTime().UTC().Format("15:04:05.000"), in.at.ModTime().UTC().Format("15:04:05.000"))
	case in.n != in.at.Size():
		why = fmt.Sprintf("%d bytes at open, %d read", in.at.Size(), in.n)
	case perr != nil:
		why = fmt.Sprintf("removed while read (%v)", perr)
	case !os.SameFile(path, in.at):
		why = "replaced by another file while read"
	default:
		return nil
	}
	return fmt.Errorf("%s: %w: %s", in.path, ErrInputChanged, why)
}

// info is the size and digest of the bytes read.
func (in *inputFile) info() Info {
	return Info{Bytes: in.n, SHA256: hex.EncodeToString(in.h.Sum(nil))}
}

// Close closes the file; it may be called more than once.
func (in *inputFile) Close() error {
	if in.closed {
		return nil
	}
	in.closed = true
	if !in.stop() { // cancellation already closed it
		return nil
	}
	return in.f.Close()
}

// checked is the Source Open returns: at the end of the file it
// verifies that the file did not change while it was read.
type checked struct {
	records
	in *inputFile
}

func (c *checked) Next() (Record, error) {
	rec, err := c.records.Next()
	if errors.Is(err, io.EOF) {
		if verr := c.in.verify(); verr != nil {
			return Record{}, verr
		}
	}
	return rec, err
}

func (c *checked) Input() Info { return c.in.info() }

func (c *checked) Encoding() (name, why string) { return c.in.encoding, c.in.encodingWhy }

func (c *checked) Consumed() int64 {
	if c.in.whole {
		return 0
	}
	return c.in.n
}

func (c *checked) Close() error { return errors.Join(c.records.Close(), c.in.Close()) }
