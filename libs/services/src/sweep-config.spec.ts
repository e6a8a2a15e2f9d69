import { parseSweepPolicy, sweepSettingsFromEnvironment } from '@lockdown/aws';
import { ConfigError, configWarnings, loadConfig } from './config';
import { sweepContains, sweepEnvironment } from './sweep-config';

const withSweep = (sweep: unknown) => loadConfig((key) => (key === 'sweep' ? sweep : undefined));
const INGRESS = {
  topicArn: 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress',
  externalIdSecretArn: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
};

describe('the sweep configuration', () => {
  it('has documented defaults: on, report everything, 24 hours back, 40 pages, the default regions', () => {
    const { sweep } = loadConfig(() => undefined);

    expect(sweep).toEqual({ enabled: true, policy: {}, lookbackHours: 24, maxPages: 40 });
    expect(sweepContains(sweep)).toBe(false);
    expect(sweepEnvironment(sweep)).toEqual({ SWEEP: 'on', SWEEP_LOOKBACK_HOURS: '24', SWEEP_MAX_PAGES: '40' });
  });

  it('writes the environment the services read back as the same settings (sweepSettingsFromEnvironment)', () => {
    const sweep = withSweep(
      '{"policy":{"new-principal":"contain","trust-change":"contain","logging-tampering":"report"},"lookbackHours":48,"maxPages":10,"regions":["eu-west-1","us-east-1"]}',
    ).sweep;

    const env = sweepEnvironment(sweep, INGRESS);

    expect(parseSweepPolicy(env['SWEEP_POLICY'])).toEqual(sweep.policy);
    expect(sweepSettingsFromEnvironment(env)).toEqual({
      lookbackHours: 48,
      maxPages: 10,
      regions: ['eu-west-1', 'us-east-1'],
      policy: { 'new-principal': 'contain', 'trust-change': 'contain', 'logging-tampering': 'report' },
      ingress: { topicArn: INGRESS.topicArn, externalIdSecretArn: INGRESS.externalIdSecretArn },
    });
  });

  it('names the ingress topic and the secret only when the policy contains, and needs them then', () => {
    const reportOnly = withSweep({ policy: { 'new-principal': 'report' } }).sweep;
    const contains = withSweep({ policy: { 'new-principal': 'contain' } }).sweep;

    expect(Object.keys(sweepEnvironment(reportOnly, INGRESS))).not.toContain('INGRESS_TOPIC_ARN');
    expect(Object.keys(sweepEnvironment(reportOnly, INGRESS))).not.toContain('EXTERNAL_ID_SECRET_ARN');
    expect(sweepEnvironment(contains, INGRESS)).toMatchObject({ INGRESS_TOPIC_ARN: INGRESS.topicArn });
    expect(() => sweepEnvironment(contains)).toThrow(/ingress topic and the ExternalId secret/);
  });

  it('turned off, says SWEEP=off and nothing else: the services run no sweep and contain nothing from it', () => {
    const sweep = withSweep({ enabled: false, policy: { 'new-principal': 'contain' } }).sweep;

    expect(sweepEnvironment(sweep, INGRESS)).toEqual({ SWEEP: 'off' });
    expect(sweepSettingsFromEnvironment({ SWEEP: 'off' })).toBeUndefined();
    expect(sweepContains(sweep)).toBe(false);
    expect(configWarnings(withSweep({ enabled: false, policy: { 'new-principal': 'contain' } })).join()).toMatch(/sweep.enabled is false/);
  });

  it.each([
    [{ policy: { 'new-principals': 'contain' } }, /sweep\.policy.*new-principals/],
    [{ policy: { 'new-principal': 'isolate' } }, /sweep\.policy\.new-principal/],
    [{ policy: { 'privilege-escalation': 'contain' } }, /privilege-escalation is reported only/],
    [{ lookbackHours: 0 }, /sweep\.lookbackHours/],
    [{ lookbackHours: 24 * 90 + 1 }, /sweep\.lookbackHours/],
    [{ maxPages: 201 }, /sweep\.maxPages/],
    [{ maxPages: 2.5 }, /sweep\.maxPages/],
    [{ regions: ['Ireland'] }, /sweep.regions must be region names/],
    [{ regions: [] }, /sweep\.regions/],
    [{ enable: false }, /sweep.*enable/],
  ])('refuses %j with an error naming the setting', (sweep, message) => {
    expect(() => withSweep(sweep)).toThrow(ConfigError);
    expect(() => withSweep(sweep)).toThrow(message);
  });

  it('accepts the bounds the services accept (one definition, in @lockdown/sweep)', () => {
    const sweep = withSweep({ lookbackHours: 24 * 90, maxPages: 200 }).sweep;

    expect(sweepSettingsFromEnvironment(sweepEnvironment(sweep))).toMatchObject({ lookbackHours: 2160, maxPages: 200 });
    expect(withSweep({ lookbackHours: 1, maxPages: 1 }).sweep).toMatchObject({ lookbackHours: 1, maxPages: 1 });
  });
});
