import { writeFileSync } from 'node:fs';
import { benchBundles } from './bundles';
import { benchEntities } from './entities';
import { benchMass } from './mass';
import { runAdversary } from '../drill/adversary/campaign';
import { ADVERSARY_POLL_MS, ADVERSARY_WATCH_SCHEDULE, DEFAULT_PROPAGATION_SECONDS, printScorecard } from '../commands/drill';
import { Output } from '../output';
import { renderBenchHtml } from '../report/bench-html';

/**
 * `npm run bench`: round trips and API calls per entity type, bundle sizes and cold loads, and
 * 1,000 requests through the local pipeline under AWS's rate limits. `--json` prints one document.
 * The adversarial drill's scorecard: each entity's attackers against the tamper watch alone and the organization guard.
 * `--skip-mass` / `--skip-build` / `--skip-tamper` shorten a run; `--report <file>` writes the pictures (HTML).
 */
async function main() {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const reportFile = argv.includes('--report') ? argv[argv.indexOf('--report') + 1] : undefined;
  if (argv.includes('--report') && (!reportFile || reportFile.startsWith('--')))
    throw new Error('--report needs a file name: npm run bench -- --report bench.html');
  const json = args.has('--json');
  const say = (text: string) => !json && process.stderr.write(`${text}\n`);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

  say('entities: one containment per type, 100 ms injected per AWS call ...');
  const entities = await benchEntities();
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
      }));
  const report = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    entities,
    bundles,
    ...(mass ? { mass } : {}),
    ...(tamper ? { tamper: tamper.map((r) => ({ configuration: r.configuration, passed: r.passed, scores: r.scores })) } : {}),
  };
  if (reportFile) {
    writeFileSync(
      reportFile,
      renderBenchHtml({ ...(mass ? { mass } : {}), ...(tamper ? { tamper } : {}), propagationSeconds: DEFAULT_PROPAGATION_SECONDS }),
    );
    say(`report: ${reportFile}`);
  }
  if (tamper?.some((r) => !r.passed)) {
    process.exitCode = 1;
    process.stderr.write('FAILED: the adversarial drill failed (lockdown drill --adversary shows which check)\n');
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
  console.log('\nEntities (sequential AWS round trips after a cached AssumeRole, from wall time / 100 ms per call)');
  console.table(
    Object.fromEntries(
      Object.entries(entities).map(([type, f]) => [
        type,
        {
          toFirstEffect: f.roundTripsToFirstEffect,
          toFull: f.roundTripsToFull,
          wholeHandler: f.roundTripsHandler,
          handlerMs: f.handlerMs,
          'ms @25ms/call': f.handlerMsAtLatency,
          calls: Object.values(f.apiCalls).reduce((a, b) => a + b, 0),
        },
      ]),
    ),
  );
  for (const [type, f] of Object.entries(entities))
    console.log(
      `${type}: ${Object.entries(f.apiCalls)
        .map(([op, n]) => `${op}×${n}`)
        .join(', ')}`,
    );
  console.log('\nBundles (esbuild, minified, SDK bundled, node22; cold load = import in a fresh Node process, median)');
  console.table(bundles);
  if (mass) {
    console.log('\nMass containment (real time)');
    console.table({
      requests: JSON.stringify(mass.requests),
      totalSeconds: mass.totalSeconds,
      lowerBoundSeconds: mass.lowerBoundSeconds,
      ratio: mass.ratio,
      bottleneck: mass.bottleneck,
      bottleneckCalls: JSON.stringify(mass.bottleneckCalls),
      lost: mass.lost,
      deadLettered: mass.deadLettered,
      failedAudits: JSON.stringify(mass.failedAudits),
      throttlingErrors: JSON.stringify(mass.throttlingErrors),
      redeliveries: mass.redeliveries,
    });
    for (const l of mass.limits)
      console.log(`limit ${l.service} ${l.scope}: bucket ${l.capacity}, refill ${l.refillPerSecond}/s (${l.source})`);
  }
  if (tamper) printScorecard(tamper, DEFAULT_PROPAGATION_SECONDS, new Output(false));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
