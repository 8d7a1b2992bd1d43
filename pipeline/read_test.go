package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
)

// TestJobRead: Job.Read gives every row but the filtered ones in file
// order, a reject for one that cannot be read or fails a check, counts
// Read, Rejected and Filtered, leaves duplicates to its caller, and returns
// the file's size and digest; a file that cannot be read ends as ErrInput,
// f's error as it is; one without a header row is no error: its Info says
// Empty (Commit decides), with its size and digest.
func TestJobRead(t *testing.T) {
	const data = "id,score,text,ch\n" +
		"R1,9,信号很好,a\n" +
		"R2,8,信号还行,b\n" + // filtered: ch is not a
		"R3,99,信号太差,a\n" + // rejected: score off the scale
		"R4,5\n" + // unreadable: too few fields
		"R1,7,又来了,a\n" // a response: duplicates are the caller's
	cfg, opt, _ := pubSetup(t, map[string]string{"in.csv": data, "empty.csv": "", "nocol.csv": "a,b\n1,2\n"}, "in.csv",
		"  max_reject_rate: 1\n  filter:\n    - {column: ch, in: [a]}\n")
	j := NewWorkerJob(cfg, opt.Tagger, "v")
	dir := filepath.Dir(cfg.InputPath())

	var got []string
	var c partition.Counts
	in, err := j.Read(context.Background(), cfg.InputPath(), "in.csv", &c, func(row Row) error {
		if row.Reject != nil {
			got = append(got, fmt.Sprintf("%s:%d reject %s", row.Reject.File, row.Reject.Line, row.Reject.Reason))
		} else {
			got = append(got, fmt.Sprintf("%s:%d %s %q", row.Resp.File, row.Resp.Line, row.Resp.ID, row.Rec.RawText()))
		}
		if row.Consumed <= 0 || row.Consumed > int64(len(data)) {
			t.Errorf("row %d: consumed %d bytes of %d", len(got), row.Consumed, len(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`in.csv:2 R1 "R1,9,信号很好,a"`, "in.csv:4 reject score_out_of_scale", "in.csv:5 reject field_count", `in.csv:6 R1 "R1,7,又来了,a"`}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := (partition.Counts{Read: 5, Rejected: 2, Filtered: 1}); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	sum := sha256.Sum256([]byte(data))
	if in.Bytes != int64(len(data)) || in.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("input %+v, want %d bytes, sha256 %x", in, len(data), sum)
	}

	stop := errors.New("stop")
	n := 0
	_, err = j.Read(context.Background(), cfg.InputPath(), "in.csv", &partition.Counts{}, func(Row) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("f's error: got %v after %d rows, want %v after 1", err, n, stop)
	}
	if _, err := j.Read(context.Background(), filepath.Join(dir, "nocol.csv"), "nocol.csv", &partition.Counts{}, func(Row) error { return nil }); !errors.Is(err, source.ErrInput) {
		t.Errorf("nocol.csv: got %v, want %v", err, source.ErrInput)
	}
	var ec partition.Counts
	in, err = j.Read(context.Background(), filepath.Join(dir, "empty.csv"), "empty.csv", &ec, func(Row) error { return nil })
	empty := sha256.Sum256(nil)
	if err != nil || !in.Empty || in.Bytes != 0 || in.SHA256 != hex.EncodeToString(empty[:]) || ec != (partition.Counts{}) {
		t.Errorf("empty.csv: got %+v, %+v, %v; want Empty, 0 bytes, the empty digest, no row, no error", in, ec, err)
	}
}

// TestEachRecordEmptyFile: the lexicon tools read an input without a header
// row as vocmine run does, as no input (exit 66), not as an unreadable one
// (65); their unreadable rows are skipped.
func TestEachRecordEmptyFile(t *testing.T) {
	cfg, _, _ := pubSetup(t, map[string]string{"in.csv": "id,score,text\nR1,9\nR2,9,信号\n", "empty.csv": ""}, "in.csv", "")
	dir := filepath.Dir(cfg.InputPath())
	err := EachRecord(context.Background(), cfg, filepath.Join(dir, "empty.csv"), []string{"text"}, func(*source.Record) error { return nil })
	if code := ExitCode(err); !errors.Is(err, source.ErrNoInput) || code != ExitNoInput {
		t.Errorf("empty file: got %v (exit %d), want %v (exit %d)", err, code, source.ErrNoInput, ExitNoInput)
	}
	var texts []string
	err = EachRecord(context.Background(), cfg, cfg.InputPath(), []string{"text"}, func(rec *source.Record) error {
		texts = append(texts, rec.Values[0])
		return nil
	})
	if err != nil || !slices.Equal(texts, []string{"信号"}) {
		t.Errorf("got %q, %v: want [信号], no error", texts, err)
	}
}
