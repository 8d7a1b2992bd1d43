package table

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// ReadAll reads a whole table into rows of T, whose parquet tags name the
// columns it reads (the file may hold more). See Read for the tables whose
// columns are in the metric's words.
func ReadAll[T any](path string) ([]T, error) { return parquet.ReadFile[T](path) }

// Each streams the rows of a table to f, 1,024 at a time, in file order:
// for tables too large to hold (responses.parquet). f's error ends the
// loop as it is.
func Each[T any](path string, f func(T) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	r := parquet.NewGenericReader[T](file)
	defer r.Close()
	buf := make([]T, 1024)
	for {
		n, err := r.Read(buf)
		for _, row := range buf[:n] {
			if ferr := f(row); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
	}
}
