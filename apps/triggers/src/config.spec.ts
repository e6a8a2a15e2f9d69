import { DEFAULT_TRIGGER_RULES } from '@lockdown/findings';
import { loadTriggersConfig } from './config';

const env = {
  INGRESS_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress',
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
};

describe('loadTriggersConfig', () => {
  it('takes the default policy when none is set', () => {
    expect(loadTriggersConfig(env).policy).toEqual({ rules: DEFAULT_TRIGGER_RULES, otherwise: 'suggest', maxEntitiesPerFinding: 25 });
  });

  it('reads no OCSF product unless configured, and refuses one it does not know', () => {
    expect(loadTriggersConfig(env).ocsfProducts).toEqual([]);
    expect(loadTriggersConfig({ ...env, OCSF_PRODUCTS: 'guardduty,securityhub' }).ocsfProducts).toEqual(['guardduty', 'securityhub']);
    expect(() => loadTriggersConfig({ ...env, OCSF_PRODUCTS: 'guardduty,macie' })).toThrow(/OCSF_PRODUCTS: macie/);
  });

  it('has no release topic unless the Security Hub release action is on', () => {
    expect(loadTriggersConfig(env).topics).toEqual({ ingress: env.INGRESS_TOPIC_ARN });
    const release = 'arn:aws:sns:us-east-1:999999999999:lockdown-release';
    expect(loadTriggersConfig({ ...env, RELEASE_TOPIC_ARN: release }).topics).toEqual({ ingress: env.INGRESS_TOPIC_ARN, release });
  });

  it.each([
    ['a missing topic', { ...env, INGRESS_TOPIC_ARN: undefined }, /INGRESS_TOPIC_ARN is not set/],
    [
      'a release topic that is not an ARN',
      { ...env, RELEASE_TOPIC_ARN: 'lockdown-release' },
      /RELEASE_TOPIC_ARN must be the ARN of the release topic/,
    ],
    ['a policy that is not JSON', { ...env, GUARDDUTY_POLICY: '{rules' }, /GUARDDUTY_POLICY is not JSON/],
    ['a policy it cannot apply', { ...env, GUARDDUTY_POLICY: '{"otherwise":"delete"}' }, /GUARDDUTY_POLICY: otherwise/],
  ])('fails closed at cold start on %s, naming it', (_name, bad, message) => {
    expect(() => loadTriggersConfig(bad)).toThrow(message);
  });
});
