// Reads a vocmine table folder as ONE dataset with Polars (nodejs-polars), the
// way the docs tell analysts to, and checks that the hive partition column
// run_date comes back typed as a Date and holds exactly the published runs,
// each with the row count its manifest records.
// Usage: node polars_check.mjs <output.dir>   (run from a folder where
// nodejs-polars is installed; .ci/run does this)
// Layout read: <out>/<table>/run_date=YYYY-MM-DD/part-*.parquet and
// <out>/_runs/run_date=YYYY-MM-DD/{manifest.json,_SUCCESS,...}.
import pl from 'nodejs-polars';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const out = process.argv[2];
if (!out) { console.error('usage: node polars_check.mjs <output.dir>'); process.exit(2); }
const table = 'mention_rates';
const wantColumns = ['group', 'dimension', 'mention_rate'];

let passed = 0, failed = 0;
const ok = (name) => { passed++; console.log(`ok   ${name}`); };
const bad = (name, why) => { failed++; console.log(`FAIL ${name}: ${why}`); };
// A failure that leaves nothing to check after it.
const fatal = (name, why) => {
  bad(name, why);
  console.log(`polars: ${passed} passed, ${failed} failed`);
  process.exit(1);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// 1. The published runs: run_date=... folders of <out>/_runs holding _SUCCESS.
const runsDir = `${out}/_runs`;
const runs = existsSync(runsDir)
  ? readdirSync(runsDir)
    .filter((d) => /^run_date=\d{4}-\d{2}-\d{2}$/.test(d) && existsSync(`${runsDir}/${d}/_SUCCESS`))
    .map((d) => d.slice('run_date='.length)).sort()
  : [];
if (runs.length === 0) fatal('published runs', `no run_date=YYYY-MM-DD folder with _SUCCESS under ${runsDir}`);
ok(`published runs under ${runsDir}: ${runs.join(', ')}`);

// 2. The table folder read as one dataset, exactly as the docs show it:
//   pl.scanParquet("<out>/mention_rates/**/*.parquet", { hivePartitioning: true }).collectSync()
// (hivePartitioning must be given for a glob; without it run_date is missing.)
const source = `${out}/${table}/**/*.parquet`;
let df;
try {
  df = pl.scanParquet(source, { hivePartitioning: true }).collectSync();
} catch (e) {
  fatal(`polars reads ${source} as one dataset`, e.message);
}
ok(`polars reads ${source} as one dataset (${df.height} rows)`);

// 3. The hive partition column is there...
if (!df.columns.includes('run_date')) fatal('run_date column', `not among the columns ${df.columns.join(', ')}`);
ok('run_date column from the partition folders');

// 4. ...and typed as a Date. nodejs-polars 0.24.1 to 0.26.1 infer Date from
// the YYYY-MM-DD folder values by themselves (tryParseHiveDates defaults to
// true), so no cast is needed and none is done: a String here means the read
// the docs show no longer gives analysts a typed run_date.
const dtype = df.schema.run_date;
if (dtype.equals(pl.Date)) ok('run_date is typed Date');
else bad('run_date is typed Date', `polars gave ${dtype}`);

// 5. Its distinct values are the published runs, no more, no fewer (a table
// partition without _SUCCESS in _runs, or a published run missing from the
// table, fails here). Grouped in polars; a Date cast to String is YYYY-MM-DD.
const perRun = df.groupBy('run_date').agg(pl.len().alias('rows'))
  .select(pl.col('run_date').cast(pl.String), 'rows')
  .sort('run_date').toRecords();
const dates = perRun.map((r) => r.run_date);
if (same(dates, runs)) ok(`distinct run_date values equal the published runs (${dates.length})`);
else bad('distinct run_date values equal the published runs', `table has ${JSON.stringify(dates)}, _runs has ${JSON.stringify(runs)}`);

// 6. Each run's rows equal what its manifest says under tables["mention_rates.parquet"].
const counts = [];
for (const run of runs) {
  const manifestPath = `${runsDir}/run_date=${run}/manifest.json`;
  let want;
  try {
    want = JSON.parse(readFileSync(manifestPath, 'utf8')).tables?.[`${table}.parquet`];
  } catch (e) {
    counts.push(`${run}: cannot read ${manifestPath}: ${e.message}`);
    continue;
  }
  const got = perRun.find((r) => r.run_date === run)?.rows ?? 0;
  if (typeof want !== 'number') counts.push(`${run}: ${manifestPath} has no tables["${table}.parquet"]`);
  else if (Number(got) !== want) counts.push(`${run}: polars read ${got} rows, manifest says ${want}`);
}
if (counts.length === 0) ok(`rows per run_date equal each manifest's tables["${table}.parquet"]`);
else bad(`rows per run_date equal each manifest's tables["${table}.parquet"]`, counts.join('; '));

// 7. The columns analysts use are there.
const missing = wantColumns.filter((c) => !df.columns.includes(c));
if (missing.length === 0) ok(`columns include ${wantColumns.join(', ')}`);
else bad(`columns include ${wantColumns.join(', ')}`, `missing ${missing.join(', ')}`);

console.log(`polars: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
