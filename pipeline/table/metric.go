package table

import (
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/vocmine/vocmine/config"
)

// The tables whose columns name the metric or its groups (the metric's
// table, drivers, order_test, trend) are declared once, in NPS words, and
// written in the run's metric's words: promoters_asc is satisfied_asc in a
// CSAT run, nps_mentioned is ces_mentioned in a CES run. Analysts of a CSAT
// survey never see an "nps" column, and one Go type serves every metric.

// Words maps the NPS words of column names to the metric's: nil for
// NPS itself.
func Words(sc config.Score) map[string]string {
	if sc.Metric == "nps" {
		return nil
	}
	g := sc.Groups()
	return map[string]string{"nps": sc.Metric, "promoter": g[0], "promoters": g[0], "passive": g[1], "passives": g[1], "detractor": g[2], "detractors": g[2]}
}

// MetricFile is the file name of a metric's headline table: nps.parquet,
// csat.parquet or ces.parquet.
func MetricFile(metric string) string { return metric + ".parquet" }

// metricColumns returns the parquet-go option that names T's columns in
// words: a StructTag for each column with a word to replace (none for NPS).
// One option serves the writer and the reader. parquet-go finds a column by
// its Go field name, and an embedded struct (partition.TrendRow's
// ScoreRow) adds nothing to that path, so its fields are renamed by their
// own names.
func metricColumns[T any](words map[string]string) *parquet.SchemaConfig {
	var tags []parquet.StructTagOption
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				add(f.Type)
				continue
			}
			tag, ok := f.Tag.Lookup("parquet")
			if !ok {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			parts := strings.Split(name, "_")
			for j, p := range parts {
				if w, ok := words[p]; ok {
					parts[j] = w
				}
			}
			if renamed := strings.Join(parts, "_"); renamed != name {
				if opts != "" {
					renamed += "," + opts
				}
				tags = append(tags, parquet.StructTagOption{ColumnPath: []string{f.Name}, StructTag: reflect.StructTag(fmt.Sprintf("parquet:%q", renamed))})
			}
		}
	}
	add(reflect.TypeFor[T]())
	return &parquet.SchemaConfig{StructTags: tags}
}

// WriteMetric writes rows as Write does, with the column names in
// the metric's words.
func WriteMetric[T any](path, compression string, rows []T, words map[string]string) (int64, error) {
	f, opts, err := create(path, compression)
	if err != nil {
		return 0, err
	}
	columns := metricColumns[T](words)
	schema := parquet.SchemaOf(new(T), columns)
	if words != nil {
		// The root of a renamed table has no name, as the
		// reflect.StructOf type that wrote these tables before had none:
		// readers ignore it, and the files stay byte-identical.
		schema = parquet.NewSchema("", schema)
	}
	w := &Writer[T]{f: f, w: parquet.NewGenericWriter[T](f, append(opts, columns, schema)...)}
	if err := w.Write(rows); err != nil {
		w.Close()
		return 0, err
	}
	return w.rows, w.Close()
}

// Read reads a published table of a run of sc's metric, whose columns
// are in the metric's words: the metric's table (MetricFile), drivers,
// order_test, or any other table.
func Read[T any](path string, sc config.Score) ([]T, error) {
	return readMetric[T](path, Words(sc))
}

// readMetric reads a table WriteMetric wrote with the same words.
// (parquet.ReadFile would drop the option: it does not pass its options on.)
func readMetric[T any](path string, words map[string]string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	rows, err := parquet.Read[T](f, st.Size(), metricColumns[T](words))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return rows, nil
}
