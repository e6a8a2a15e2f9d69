import { DEFAULT_TRIGGER_RULES } from '@lockdown/findings';
import { loadTriggersConfig } from './config';

const env = {
  INGRESS_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress',
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
};

describe('loadTriggersConfig', () => {
  it('takes the default policy when none is set', () => {
    expect(loadTriggersConfig(env).policy).toEqual({ rules: DEFAULT_TRIGGER_RULES, otherwise: 'suggest' });
  });

  it.each([
    ['a missing topic', { ...env, INGRESS_TOPIC_ARN: undefined }, /INGRESS_TOPIC_ARN is not set/],
    ['a policy that is not JSON', { ...env, GUARDDUTY_POLICY: '{rules' }, /GUARDDUTY_POLICY is not JSON/],
    ['a policy it cannot apply', { ...env, GUARDDUTY_POLICY: '{"otherwise":"delete"}' }, /GUARDDUTY_POLICY: otherwise/],
  ])('fails closed at cold start on %s, naming it', (_name, bad, message) => {
    expect(() => loadTriggersConfig(bad)).toThrow(message);
  });
});
