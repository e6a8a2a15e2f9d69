import { Template } from 'aws-cdk-lib/assertions';
import { SERVICES } from '@lockdown/contracts';
import { loadConfig } from '@lockdown/services';
import { actionsCalledBy } from '../test/commands-in-code';
import { synth } from '../test/synth';

/** The drill's adversarial policy: every category whose entities can be contained. */
const CONTAINS = { 'new-principal': 'contain', 'new-credential': 'contain', 'trust-change': 'contain', 'new-compute': 'contain' };
const reportOnly = synth({ sweep: { policy: { 'new-principal': 'report' }, lookbackHours: 48, regions: ['eu-west-1', 'us-east-1'] } });
const contains = synth({ sweep: { policy: CONTAINS } });

const serviceOf = (built: ReturnType<typeof synth>, service: string) =>
  Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!).toJSON();
const variablesOf = (template: Record<string, any>) =>
  (Object.values(template['Resources']).find((r: any) => r.Type === 'AWS::Lambda::Function') as any).Properties.Environment.Variables;
const statementsOf = (template: Record<string, any>) =>
  Object.values(template['Resources'])
    .filter((r: any) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r: any) => r.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Action: string | string[]; Resource: unknown }>);
const actionsOf = (template: Record<string, any>) => new Set(statementsOf(template).flatMap((s) => [s.Action].flat()));
/** The SSM parameter a template value names (services find the core stack's ARNs through them). */
const parameterOf = (value: any) => String(value?.Ref ?? value);

describe('the deployed persistence sweep', () => {
  it.each(SERVICES)('%s reports only by default: its settings in SWEEP_*, no ingress topic, no secret, no grant', (service) => {
    const template = serviceOf(reportOnly, service);

    expect(variablesOf(template)).toMatchObject({
      SWEEP: 'on',
      SWEEP_LOOKBACK_HOURS: '48',
      SWEEP_MAX_PAGES: '40',
      SWEEP_REGIONS: 'eu-west-1,us-east-1',
      SWEEP_POLICY: 'new-principal=report',
    });
    expect(Object.keys(variablesOf(template))).not.toEqual(expect.arrayContaining(['INGRESS_TOPIC_ARN']));
    expect(Object.keys(variablesOf(template))).not.toEqual(expect.arrayContaining(['EXTERNAL_ID_SECRET_ARN']));
    expect(actionsOf(template).has('secretsmanager:GetSecretValue')).toBe(false);
    expect(statementsOf(template).filter((s) => s.Sid?.startsWith('Sweep'))).toEqual([]);
    expect(Object.keys(template['Parameters'])).not.toEqual(expect.arrayContaining([expect.stringMatching(/ingress|externalid/i)]));
  });

  it.each(SERVICES)(
    '%s, with a policy that contains, publishes to the ingress topic (its key through SNS only) and reads the ExternalId secret, exactly',
    (service) => {
      const template = serviceOf(contains, service);
      const variables = variablesOf(template);

      expect(variables).toMatchObject({
        SWEEP: 'on',
        SWEEP_POLICY: 'new-principal=contain,new-credential=contain,trust-change=contain,new-compute=contain',
      });
      expect(parameterOf(variables.INGRESS_TOPIC_ARN)).toMatch(/lockdowningresstopicarn/);
      expect(parameterOf(variables.EXTERNAL_ID_SECRET_ARN)).toMatch(/lockdownexternalidsecretarn/);
      const sweep = statementsOf(template).filter((s) => s.Sid?.startsWith('Sweep'));
      expect(sweep.map((s) => [s.Sid, s.Action, parameterOf(s.Resource)])).toEqual([
        ['SweepPublishesRequests', 'sns:Publish', expect.stringMatching(/lockdowningresstopicarn/)],
        ['SweepIngressKey', ['kms:GenerateDataKey', 'kms:Decrypt'], expect.stringMatching(/lockdowningresskeyarn/)],
        ['SweepReadsExternalId', 'secretsmanager:GetSecretValue', expect.stringMatching(/lockdownexternalidsecretarn/)],
      ]);
      expect(sweep[1]).toMatchObject({
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      });
      // Nothing its code does not call: the sweep publishes through @lockdown/publishing.
      const called = actionsCalledBy(`apps/${service}`, 'libs/aws', 'libs/publishing');
      expect(['sns:Publish', 'secretsmanager:GetSecretValue'].filter((a) => !called.has(a))).toEqual([]);
    },
  );

  it('turned off, sets SWEEP=off and grants nothing, whatever its policy', () => {
    const off = synth({ sweep: { enabled: false, policy: CONTAINS } });

    for (const stack of off.services) {
      const template = Template.fromStack(stack).toJSON();
      expect(variablesOf(template)).toMatchObject({ SWEEP: 'off' });
      expect(Object.keys(variablesOf(template)).filter((k) => /^(SWEEP_|INGRESS_TOPIC_ARN$|EXTERNAL_ID_SECRET_ARN$)/.test(k))).toEqual([]);
      expect(actionsOf(template).has('secretsmanager:GetSecretValue')).toBe(false);
    }
  });

  it('the ExternalId secret is under the aws/secretsmanager key (no key grant follows it); a customer key would need one', () => {
    const secret = Object.values(Template.fromStack(contains.core).findResources('AWS::SecretsManager::Secret'))[0]!;

    expect(secret['Properties']['KmsKeyId']).toBeUndefined();
  });

  it('refuses a policy that is not <category>: report | contain before any stack exists', () => {
    expect(() => synth({ sweep: { policy: { 'new-users': 'contain' } } })).toThrow(/sweep\.policy: unknown field\(s\): new-users/);
    expect(() => loadConfig((key) => (key === 'sweep' ? '{"policy":{"new-principal":"quarantine"}}' : undefined))).toThrow(
      /sweep\.policy\.new-principal/,
    );
  });
});
