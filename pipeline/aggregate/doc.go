// Package aggregate owns the mergeable aggregates of a run (Counters,
// Verbatims, Miner), the statistics computed from them (MentionRates,
// Scores, Drivers, OrderTest, Changes, Wilson intervals and the headlines'
// standard errors) and the summary tables' row types. It is pure: no I/O,
// clock, randomness or globals; each aggregate has a Merge, so an engine's
// shards add up to one run's. It must not read or write files:
// pipeline/table writes its rows, pipeline/partition reads baselines.
package aggregate
