// Package table is the only package that writes and reads output Parquet,
// all with parquet-go: the typed Writer, RowWriter for the tables whose
// columns come from config and lexicon, the row tables' schemas, metric
// column names (Words, WriteMetric, Read) and the shard Join. Path says
// where a table's file is, staged or published. It must not decide what a
// row holds (aggregate and pipeline do) nor read inputs (pipeline/source).
package table
