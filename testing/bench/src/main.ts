import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchBundles } from './bundles';
import { benchEntities } from './entities';
import { benchMass } from './mass';
import { benchSweep } from './sweep';
import { ORG_DEFAULTS, OrgFigures, benchOrg } from './org';
import { runAdversary } from '@lockdown/drill';
import { ADVERSARY_POLL_MS, ADVERSARY_WATCH_SCHEDULE, DEFAULT_PROPAGATION_SECONDS, printEscapes, printScorecard } from '@lockdown/drill';
import { runReadmeAttackers } from '@lockdown/drill';
import { Output } from '@lockdown/cli';
import { formatRecords, formatTable } from '@lockdown/cli';
import { renderBenchHtml } from './report/bench-html';

/**
 * `npm run bench`: round trips and API calls per entity type, bundle sizes and cold loads, and
 * 1,000 requests through the local pipeline under AWS's rate limits. `--json` prints one document.
 * The adversarial drill's scorecard: each entity's attackers against the tamper watch alone and the organization guard.
 * The persistence sweep of a one-hour, 500-event lookback (LookupEvents calls, time).
 * `--skip-mass` / `--skip-build` / `--skip-tamper` / `--skip-sweep` shorten a run; `--report <file>` writes the pictures (HTML).
 * `--org` runs the organization-scale bench alone (`--org-requests <n>` scales it, 10,000 by default).
 */
async function main() {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const reportFile = argv.includes('--report') ? argv[argv.indexOf('--report') + 1] : undefined;
  if (argv.includes('--report') && (!reportFile || reportFile.startsWith('--')))
    throw new Error('--report needs a file name: npm run bench -- --report bench.html');
  const json = args.has('--json');
  const output = new Output(json, undefined, undefined, Boolean(process.stderr.isTTY));
  const progress = output.progressOf();
  const say = (text: string) => progress.say(text);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

  if (args.has('--org')) return org(argv, output, say, json, reportFile);
  const entities = await progress.during(
    'entities: one containment per type, 100 ms injected per AWS call',
    () => 'running',
    benchEntities(),
  );
  const sweep = args.has('--skip-sweep')
    ? undefined
    : await progress.during("sweep: a one-hour, 500-event lookback under LookupEvents' 2 requests/s", () => 'running', benchSweep(500));
  say('bundles: building and loading each in fresh Node processes ...');
  const bundles = benchBundles(11, !args.has('--skip-build'));
  const mass = args.has('--skip-mass')
    ? undefined
    : (say('mass: 1,000 requests through the local pipeline under rate limits ...'),
      await benchMass(Number(process.env.BENCH_MASS_REQUESTS ?? 1000), say));
  const tamper = args.has('--skip-tamper')
    ? undefined
    : (say('tampering: the adversarial drill, without and with the organization guard (about a minute) ...'),
      await runAdversary({
        propagationSeconds: DEFAULT_PROPAGATION_SECONDS,
        watchSchedule: ADVERSARY_WATCH_SCHEDULE,
        pollMs: ADVERSARY_POLL_MS,
        timeoutSeconds: 120,
        progress,
      }));
  const escapes = tamper ? await runReadmeAttackers({ watchSchedule: ADVERSARY_WATCH_SCHEDULE, timeoutSeconds: 120, progress }) : undefined;
  const report = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    entities,
    ...(sweep ? { sweep } : {}),
    bundles,
    ...(mass ? { mass } : {}),
    ...(tamper ? { tamper: tamper.map((r) => ({ configuration: r.configuration, passed: r.passed, scores: r.scores })) } : {}),
    ...(escapes ? { escapes: escapes.map((r) => ({ configuration: r.configuration, passed: r.passed, rows: r.rows })) } : {}),
  };
  if (reportFile) {
    writeFileSync(
      reportFile,
      renderBenchHtml({ ...(mass ? { mass } : {}), ...(tamper ? { tamper } : {}), propagationSeconds: DEFAULT_PROPAGATION_SECONDS }),
    );
    say(`report: ${reportFile}`);
  }
  if ([...(tamper ?? []), ...(escapes ?? [])].some((r) => !r.passed)) {
    process.exitCode = 1;
    process.stderr.write('FAILED: the adversarial drill failed (npm run drill -- --adversary shows which check)\n');
  }
  // A benchmark that loses a request fails, naming every entity that was never contained.
  if (mass && mass.lost > 0) {
    process.exitCode = 1;
    process.stderr.write(
      `FAILED: ${mass.lost} request(s) lost (never contained):\n${mass.lostEntities.map((arn) => `  ${arn}`).join('\n')}\n`,
    );
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const print = (lines: string[]) => lines.forEach((line) => output.line(line));
  output.line('\nEntities (sequential AWS round trips after a cached AssumeRole, from wall time / 100 ms per call)');
  print(
    formatTable(
      ['entity', 'to first effect', 'to full', 'whole handler', 'handler ms', 'ms @25ms/call', 'calls'],
      Object.entries(entities).map(([type, f]) => [
        type,
        f.roundTripsToFirstEffect,
        f.roundTripsToFull,
        f.roundTripsHandler,
        f.handlerMs,
        f.handlerMsAtLatency,
        Object.values(f.apiCalls).reduce((a, b) => a + b, 0),
      ]),
      { indent: 2 },
    ),
  );
  for (const [type, f] of Object.entries(entities))
    output.line(
      `  ${type}: ${Object.entries(f.apiCalls)
        .map(([op, n]) => `${op}×${n}`)
        .join(', ')}`,
    );
  if (sweep) {
    output.line('\nPersistence sweep (one contained user, LookupEvents with the member role at 2 requests/s, 50 events a page)');
    print(formatRecords({ 'one user': sweep }, { indent: 2 }));
  }
  output.line('\nBundles (esbuild, minified, SDK bundled, node22; cold load = import in a fresh Node process, median)');
  print(formatRecords(bundles, { indent: 2 }));
  if (mass) {
    output.line('\nMass containment (real time)');
    print(
      formatTable(
        ['figure', 'value'],
        Object.entries({
          requests: JSON.stringify(mass.requests),
          'total seconds': mass.totalSeconds,
          'lower bound seconds': mass.lowerBoundSeconds,
          ratio: mass.ratio,
          bottleneck: mass.bottleneck,
          'bottleneck calls': JSON.stringify(mass.bottleneckCalls),
          lost: mass.lost,
          'dead-lettered': mass.deadLettered,
          'failed audits': JSON.stringify(mass.failedAudits),
          'throttling errors': JSON.stringify(mass.throttlingErrors),
          redeliveries: mass.redeliveries,
        }).map(([name, value]) => [name, String(value)]),
        { indent: 2 },
      ),
    );
    for (const l of mass.limits)
      output.line(`  limit ${l.service} ${l.scope}: bucket ${l.capacity}, refill ${l.refillPerSecond}/s (${l.source})`);
  }
  if (tamper) printScorecard(tamper, DEFAULT_PROPAGATION_SECONDS, output);
  if (escapes) printEscapes(escapes, output);
}

/** The organization-scale bench: fairness on and off side by side; fails when a request is lost. */
async function org(argv: string[], output: Output, say: (text: string) => void, json: boolean, reportFile?: string) {
  const requests = argv.includes('--org-requests') ? Number(argv[argv.indexOf('--org-requests') + 1]) : ORG_DEFAULTS.requests;
  if (!Number.isInteger(requests) || requests < 100) throw new Error('--org-requests needs a whole number of at least 100');
  say(
    `organization: ${requests} requests across ${ORG_DEFAULTS.accounts} accounts and ${ORG_DEFAULTS.regions.length} regions, fair and oldest first ...`,
  );
  const figures = await benchOrg({ ...ORG_DEFAULTS, requests }, say);
  if (reportFile) {
    writeFileSync(reportFile, renderBenchHtml({ org: figures, propagationSeconds: DEFAULT_PROPAGATION_SECONDS }));
    say(`report: ${reportFile}`);
  }
  const lost = figures.runs.filter((r) => r.lost > 0);
  for (const run of lost) {
    process.exitCode = 1;
    process.stderr.write(
      `FAILED: ${run.lost} request(s) lost ${run.fair ? 'with' : 'without'} fairness:\n${run.lostEntities.map((arn) => `  ${arn}`).join('\n')}\n`,
    );
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ org: figures }, null, 2)}\n`);
    return;
  }
  printOrg(figures, output);
}

function printOrg(figures: OrgFigures, output: Output) {
  const { requests } = figures;
  output.line(
    `\nOrganization scale: ${requests.total} requests (${requests.flood} from one account and region, ${requests.quiet} from ${requests.accounts - 1} other accounts while it runs), ${requests.regions.length} regions, ${figures.latencyMs} ms per AWS call, real time`,
  );
  const [fair, oldest] = figures.runs as [OrgFigures['runs'][0], OrgFigures['runs'][0]];
  const row = (name: string, f: (r: typeof fair) => unknown) => [name, String(f(fair)), String(f(oldest))];
  const throttles = (r: typeof fair) =>
    Object.entries(r.throttlingErrors)
      .map(([account, n]) => `${account}:${n}`)
      .join(' ') || 'none';
  formatTable(
    ['figure', 'fair queues (by account)', 'oldest first'],
    [
      row('total seconds', (r) => r.totalSeconds),
      row('lower bound seconds (busiest account and region)', (r) => r.lowerBoundSeconds),
      row('ratio (goal <= 1.1)', (r) => r.ratio),
      row('bottleneck', (r) => r.bottleneck),
      row('flood dispatched by the intake after s', (r) => r.floodDispatchedSeconds),
      row('quiet requests', (r) => r.quiet.requests),
      row('quiet: to first effect p50 / p99 s (goal p99 <= 5)', (r) => `${r.quiet.firstEffect.p50} / ${r.quiet.firstEffect.p99}`),
      row(
        'quiet: to CONTAINED p50 / p99 s (goal p99 <= 5; an instance adds its untracked window)',
        (r) => `${r.quiet.contained.p50} / ${r.quiet.contained.p99}`,
      ),
      row('quiet: to CONTAINED p99 by type s', (r) => JSON.stringify(r.quiet.containedP99ByType)),
      row('throttling errors by account', throttles),
      row('failed records (retried)', (r) => r.redeliveries),
      row('delivered again, by queue', (r) => JSON.stringify(r.redelivered)),
      row('event-loop delay p99 / max ms', (r) => `${r.eventLoopDelayMs.p99} / ${r.eventLoopDelayMs.max}`),
      row('lost (goal 0)', (r) => r.lost),
      row('dead-lettered (goal 0)', (r) => r.deadLettered),
    ],
    { indent: 2 },
  ).forEach((line) => output.line(line));
  for (const b of figures.budgets)
    output.line(`  budget ${b.api}: bucket ${b.capacity}, refill ${b.refillPerSecond}/s per account and region (${b.source})`);
  output.line(
    `  by type: ${JSON.stringify(requests.byType)}; bench duration ${figures.durationSeconds} s (both runs at once, one process each); load average ${figures.loadAverage.join(' ')} on ${cpus().length} CPUs`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
