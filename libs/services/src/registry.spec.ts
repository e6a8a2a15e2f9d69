import { ENTITY_TYPES, SERVICES, entityTypesOf, settingsEnvironment, settingsFromEnvironment } from '@lockdown/contracts';
import { SERVICE_DESCRIPTORS, descriptorOf, memberPolicy } from './index';

describe('the registry of containment services', () => {
  it('has exactly one descriptor per service of the routing table, under its own name', () => {
    expect(SERVICE_DESCRIPTORS.map((d) => d.name)).toEqual([...SERVICES]);
    for (const name of SERVICES) expect(descriptorOf(name).name).toBe(name);
  });

  it('says what each service reads for every entity type it owns, and only those', () => {
    for (const d of SERVICE_DESCRIPTORS) {
      expect(Object.keys(d.observe).sort()).toEqual(entityTypesOf(d.name).sort());
      for (const calls of Object.values(d.observe)) expect(calls!.length).toBeGreaterThan(0);
    }
    expect(SERVICE_DESCRIPTORS.flatMap((d) => entityTypesOf(d.name)).sort()).toEqual([...ENTITY_TYPES].sort());
  });

  it('gives every setting one owner (the configuration is flat) and a default, so an empty cdk.json deploys', () => {
    const keys = SERVICE_DESCRIPTORS.flatMap((d) => Object.keys(d.settings.shape));
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of SERVICE_DESCRIPTORS) expect(() => d.settings.parse({})).not.toThrow();
  });

  it('reads back from the environment exactly the settings the stack sets, for every service', () => {
    for (const d of SERVICE_DESCRIPTORS) {
      const defaults = d.settings.parse({});
      expect(settingsFromEnvironment(d, settingsEnvironment(d, {}))).toEqual(defaults);
    }
  });

  it('keeps batch sizes and concurrency within what SQS event sources accept', () => {
    for (const { concurrency } of SERVICE_DESCRIPTORS) {
      expect(concurrency.batchSize).toBeGreaterThanOrEqual(1);
      expect(concurrency.batchSize).toBeLessThanOrEqual(10);
      expect(concurrency.maximumConcurrency).toBeGreaterThanOrEqual(2);
    }
  });

  it('keeps the member-role policy valid: unique statement ids, the deny of lockdown itself last', () => {
    const { Statement } = memberPolicy({
      partition: 'aws',
      account: '111111111111',
      memberRoleName: 'lockdown-member',
      securityAccountId: '999999999999',
    });
    const sids = Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(Statement.at(-1)).toMatchObject({ Sid: 'NeverTouchLockdown', Effect: 'Deny' });
  });
});
