// Reads every table of vocmine's output with DuckDB, the engine analysts
// use in notebooks, each table folder as one dataset partitioned by
// run_date (docs/OUTPUTS.md), and checks in SQL that the tables of the
// latest published run reconcile.
// Usage: node duckdb_check.mjs <output.dir>   (run from a folder where
// @duckdb/node-api is installed; .ci/run does this)
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const out = process.argv[2];
const runs = readdirSync(`${out}/_runs`).filter((d) => d.startsWith('run_date=') && existsSync(`${out}/_runs/${d}/_SUCCESS`)).sort();
if (runs.length === 0) { console.error(`no published run under ${out}/_runs`); process.exit(1); }
const part = `${out}/_runs/${runs.at(-1)}`;
const date = runs.at(-1).slice('run_date='.length);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
// A table as analysts read it: the folder, every run, then this run's rows.
const dataset = (name) => `read_parquet('${out}/${name}/*/*.parquet', hive_partitioning = true)`;
const t = (name) => `(select * from ${dataset(name)} where run_date = DATE '${date}')`;
// The run's metric names its headline table, headline column and groups.
const manifest = JSON.parse(readFileSync(`${part}/manifest.json`, 'utf8'));
const metric = manifest.metric ?? 'nps';
const score = manifest.config.values.score;
const [top, mid, bot] = { nps: ['promoter', 'passive', 'detractor'], csat: ['satisfied', 'neutral', 'dissatisfied'],
  ces: ['low_effort', 'neutral', 'high_effort'] }[metric];
const plural = (g) => (metric === 'nps' ? `${g}s` : g);
// The headline from counts n, p (top group), d (bottom group) and the mean score.
const headline = { nps: '100.0 * (r.p - r.d) / r.n', csat: '100.0 * r.p / r.n', ces: 'r.mean' }[metric];

// Each check is a query returning the number of mismatching rows.
const checks = {
  [`each table folder is one dataset: a DATE run_date, one value per published run (${runs.length})`]: `
    select (select count(distinct run_date) from ${dataset('mention_rates')}) <> ${runs.length}
         or (select any_value(typeof(run_date)) from ${dataset('mention_rates')}) <> 'DATE'
         or (select count(distinct run_date) from ${dataset('responses')}) <> ${runs.length}`,
  'every table loads, hive partition column included': `
    select (select count(*) from ${t('responses')} where run_date is null)
         + (select count(*) from ${t('mentions')} where run_date is null)
         + (select count(*) from ${t('codes')} where run_date is null)
         + (select count(*) from ${t('mention_rates')} where run_date is null)
         + (select count(*) from ${t(metric)} where run_date is null)
         + (select count(*) from ${t('drivers')} where run_date is null)
         + (select count(*) from ${t('rejects')} where run_date is null)`,
  'mention_rates (leaf dimensions) equal the mentions recomputed': `
    with g as (select "group", count(*) n from ${t('responses')} group by all
               union all select 'all', count(*) from ${t('responses')}),
    m as (select "group", dimension, polarity from ${t('mentions')} where dimension <> top
          union all select 'all', dimension, polarity from ${t('mentions')} where dimension <> top),
    r as (select m."group", dimension, count(*) mentions,
                 count(*) filter (where polarity = 'positive') pos,
                 count(*) filter (where polarity = 'negative') neg
          from m group by all)
    select count(*) from ${t('mention_rates')} mr
    join g on g."group" = mr."group"
    left join r on r."group" = mr."group" and r.dimension = mr.dimension
    where mr.level > 1 and (mr.respondents <> g.n or mr.mentions <> coalesce(r.mentions, 0)
       or mr.positive <> coalesce(r.pos, 0) or mr.negative <> coalesce(r.neg, 0)
       or abs(mr.mention_rate - coalesce(r.mentions, 0) / g.n) > 1e-12)`,
  'mention_rates (top levels) count each respondent once, by the sign of the summed weights': `
    with t as (select response_id, "group", top, sum(weight) w from ${t('mentions')} group by all),
    p as (select "group", top, case when w > 1e-9 then 'positive' when w < -1e-9 then 'negative' else 'neutral' end pol from t
          union all select 'all', top, case when w > 1e-9 then 'positive' when w < -1e-9 then 'negative' else 'neutral' end from t),
    r as (select "group", top, count(*) mentions, count(*) filter (where pol = 'negative') neg from p group by all)
    select count(*) from ${t('mention_rates')} mr left join r on r."group" = mr."group" and r.top = mr.dimension
    where mr.level = 1 and (mr.mentions <> coalesce(r.mentions, 0) or mr.negative <> coalesce(r.neg, 0))`,
  'mention rates within a group may pass 100% but each rate is a share': `
    select count(*) from ${t('mention_rates')} where mention_rate < 0 or mention_rate > 1
       or abs(positive_rate + neutral_rate + negative_rate - mention_rate) > 1e-9`,
  [`${metric} matches the groups and scores of responses, overall and per segment`]: `
    with s as (
      select 'all' segment, 'all' "value", "group", score from ${t('responses')}
      union all select 'region', region, "group", score from ${t('responses')}
      union all select 'member_level', member_level, "group", score from ${t('responses')}
      union all select 'gender', gender, "group", score from ${t('responses')}
      union all select 'age_band', age_band, "group", score from ${t('responses')}),
    r as (select segment, "value", count(*) n, count(*) filter (where "group" = '${top}') p,
                 count(*) filter (where "group" = '${bot}') d, avg(score) mean from s group by all)
    select count(*) from ${t(metric)} x full join r using (segment, "value")
    where x.respondents is distinct from r.n or x.${plural(top)} is distinct from r.p or x.${plural(bot)} is distinct from r.d
       or abs(x.${metric} - (${headline})) > 1e-9 or abs(x.mean - r.mean) > 1e-9`,
  'codes hold one row per response and the leaf codes of mentions': `
    select (select count(*) from ${t('responses')}) - (select count(*) from ${t('codes')})
         + (select count(*) from ${t('mentions')} m join ${t('codes')} c using (response_id)
            where m.dimension = '网络/信号' and c."网络/信号" <> m.code)
         + (select count(*) from ${t('codes')} c where c."网络/信号" <> 2
            and response_id not in (select response_id from ${t('mentions')} where dimension = '网络/信号'))`,
  'tokens are pieces of their reason, ids are unique': `
    select count(*) filter (where not coalesce(list_bool_and(list_transform(tokens, x -> strpos(lower(text), x) > 0)), true))
         + count(*) - count(distinct response_id) from ${t('responses')}`,
  [`drivers: impact = ${metric} - ${metric} of non-mentioners, mentioned = the mention_rates count`]: `
    select count(*) filter (where impact is not null and abs(impact - ((select ${metric} from ${t(metric)} where segment = 'all') - ${metric}_not_mentioned)) > 1e-6)
         + count(*) filter (where mentioned <> (select mentions from ${t('mention_rates')} m where m."group" = 'all' and m.dimension = d.dimension))
         + count(*) filter (where impact_low > impact or impact > impact_high)
      from ${t('drivers')} d`,
  'verbatims are responses that have a tag of their top and polarity, shortest first': `
    select count(*) filter (where r.text is distinct from v.text or r."group" is distinct from v."group"
        or not exists (select 1 from ${t('mentions')} m where m.response_id = v.response_id and m.top = v.top and m.polarity = v.polarity))
      + (select count(*) from (select top, polarity, list(length(text) order by rank) l from ${t('verbatims')} group by all)
         where l <> list_sort(l))
    from ${t('verbatims')} v left join ${t('responses')} r using (response_id)`,
  'groups follow the score (config ranges from the manifest)': `
    select count(*) from ${t('responses')} where "group" <> case when score between ${score[top][0]} and ${score[top][1]} then '${top}'
      when score between ${score[bot][0]} and ${score[bot][1]} then '${bot}' else '${mid}' end`,
};

// Tables written only when asked for: reconciled when present.
const has = (name) => existsSync(`${out}/${name}/run_date=${date}`);
if (has('mention_rates_by_segment')) {
  checks['mention_rates_by_segment sum over each segment to mention_rates'] = `
    with s as (select segment, "group", dimension, sum(mentions) m, sum(respondents) n
               from ${t('mention_rates_by_segment')} group by all)
    select count(*) from s join ${t('mention_rates')} r using ("group", dimension)
    where s.m <> r.mentions or s.n <> r.respondents`;
}
if (has('changes')) {
  checks[`changes: now and diff follow this run's ${metric} and mention_rates`] = `
    select (select count(*) from ${t('changes')} c join ${t(metric)} n on c.kind = '${metric}' and c.segment = n.segment and c."value" = n."value"
            where c.now <> n.${metric} or (c.then is not null and abs(c.diff - (c.now - c.then)) > 1e-9)
               or (c.p_value is not null and (c.p_value < 0 or c.p_value > 1)))
         + (select count(*) from ${t('changes')} c join ${t('mention_rates')} r on c.kind = 'mention_rate' and c."group" = r."group" and c.dimension = r.dimension
            where c.now <> r.mention_rate)
         + (select count(*) from ${t(metric)}) - (select count(*) from ${t('changes')} where kind = '${metric}' and now is not null)`;
}

let passed = 0, failed = 0;
for (const [name, sql] of Object.entries(checks)) {
  const r = await c.runAndReadAll(sql);
  const bad = Number(r.getRows()[0][0]);
  if (bad === 0) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}: ${bad} mismatching rows`); }
}
// Counts reconcile with the manifest.
const n = async (sql) => Number((await c.runAndReadAll(sql)).getRows()[0][0]);
const k = manifest.counts;
const countsOK = k.read === k.accepted + k.rejected + k.duplicates + k.filtered
  && k.accepted === await n(`select count(*) from ${t('responses')}`)
  && k.rejected + k.duplicates === await n(`select count(*) from ${t('rejects')}`);
if (countsOK) { passed++; console.log('ok   manifest counts reconcile with the tables'); }
else { failed++; console.log(`FAIL manifest counts ${JSON.stringify(k)} do not reconcile`); }
// Every tagged table carries the manifest's lexicon_version, and only it.
const v = manifest.lexicon_version;
const versionsOK = typeof v === 'string' && v.length > 0 && 0 === await n(`
  select count(*) from (select lexicon_version from ${t('responses')} union all select lexicon_version from ${t('mentions')}
    union all select lexicon_version from ${t('codes')} union all select lexicon_version from ${t('mention_rates')}
    union all select lexicon_version from ${t(metric)} union all select lexicon_version from ${t('rejects')}
    union all select lexicon_version from ${t('drivers')})
    where lexicon_version is distinct from '${v}'`);
if (versionsOK) { passed++; console.log('ok   every output row carries the manifest lexicon_version'); }
else { failed++; console.log(`FAIL lexicon_version ${v} not on every tagged row`); }
console.log(`duckdb: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
