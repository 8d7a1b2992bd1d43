// Package partition owns a run's life under output.dir: the one-writer
// lock, the temporary and staging folders (Begin, Work), the journaled
// commit that publishes each table's partition and the run's folder in
// _runs/ (replayed after a crash), the Manifest and its counts, _failed/
// (KeepRejects), baselines (ResolveBaseline, Changes) and Trend. It must not
// compute statistics (aggregate) nor write Parquet itself (table).
package partition
