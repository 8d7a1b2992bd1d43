package pipeline

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/vocmine/vocmine/config"
)

// The tables whose columns name the metric or its groups (the metric's
// table, drivers, order_test, trend) are declared once, in NPS words, and
// written in the run's metric's words: promoters_asc is satisfied_asc in a
// CSAT run, nps_mentioned is ces_mentioned in a CES run. Analysts of a CSAT
// survey never see an "nps" column, and one Go type serves every metric.

// metricWords maps the NPS words of column names to the metric's: nil for
// NPS itself.
func metricWords(sc config.Score) map[string]string {
	if sc.Metric == "nps" {
		return nil
	}
	g := sc.Groups()
	return map[string]string{"nps": sc.Metric, "promoter": g[0], "promoters": g[0], "passive": g[1], "passives": g[1], "detractor": g[2], "detractors": g[2]}
}

// MetricTable is the file name of a metric's headline table: nps.parquet,
// csat.parquet or ces.parquet.
func MetricTable(metric string) string { return metric + ".parquet" }

// renamed returns a struct type laid out as t whose parquet column names
// have their "_"-separated words replaced by words; embedded structs are
// renamed too. Values of t and of the result share their memory layout.
func renamed(t reflect.Type, words map[string]string) reflect.Type {
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			f.Type = renamed(f.Type, words)
		}
		if tag, ok := f.Tag.Lookup("parquet"); ok {
			name, opts, _ := strings.Cut(tag, ",")
			parts := strings.Split(name, "_")
			for j, p := range parts {
				if w, ok := words[p]; ok {
					parts[j] = w
				}
			}
			if opts != "" {
				opts = "," + opts
			}
			f.Tag = reflect.StructTag(fmt.Sprintf("parquet:%q", strings.Join(parts, "_")+opts))
		}
		fields[i] = f
	}
	return reflect.StructOf(fields)
}

// as views *T as a pointer to the renamed type t (same layout).
func as[T any](v *T, t reflect.Type) any { return reflect.NewAt(t, unsafe.Pointer(v)).Interface() }

// writeMetricTable writes rows as writeTable does, with the column names in
// the metric's words.
func writeMetricTable[T any](path, compression string, rows []T, words map[string]string) (int64, error) {
	if words == nil {
		return writeTable(path, compression, rows)
	}
	t := renamed(reflect.TypeFor[T](), words)
	f, opts, err := createParquet(path, compression)
	if err != nil {
		return 0, err
	}
	w := parquet.NewWriter(f, append(opts, parquet.SchemaOf(reflect.New(t).Interface()))...)
	for i := range rows {
		if err := w.Write(as(&rows[i], t)); err != nil {
			w.Close()
			f.Close()
			return 0, fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return int64(len(rows)), finishParquet(w, f)
}

// ReadTable reads a published table of a run of sc's metric, whose columns
// are in the metric's words: the metric's table (MetricTable), drivers,
// order_test, or any other table.
func ReadTable[T any](path string, sc config.Score) ([]T, error) {
	return readMetricTable[T](path, metricWords(sc))
}

// readMetricTable reads a table writeMetricTable wrote with the same words.
func readMetricTable[T any](path string, words map[string]string) ([]T, error) {
	if words == nil {
		return parquet.ReadFile[T](path)
	}
	t := renamed(reflect.TypeFor[T](), words)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := parquet.NewReader(f, parquet.SchemaOf(reflect.New(t).Interface()))
	defer r.Close()
	rows := make([]T, r.NumRows())
	for i := range rows {
		if err := r.Read(as(&rows[i], t)); err != nil {
			if err == io.EOF {
				return rows[:i], nil
			}
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
	return rows, nil
}
