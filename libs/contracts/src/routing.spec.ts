import { ENTITY_TYPES } from './entity';
import { ROUTING, SERVICES, entityTypesOf, filterPolicyFor, serviceFor } from './routing';

describe('routing table', () => {
  it('routes IAM users and roles to iam-lockdown, functions to lambda-lockdown, instances to ec2-isolation, buckets to s3-lockdown, Identity Center users to identity-center-lockdown', () => {
    expect(ROUTING).toEqual({
      'iam-user': 'iam-lockdown',
      'iam-role': 'iam-lockdown',
      'iam-role-session': 'iam-lockdown',
      'lambda-function': 'lambda-lockdown',
      'ec2-instance': 'ec2-isolation',
      's3-bucket': 's3-lockdown',
      'identity-center-user': 'identity-center-lockdown',
    });
    expect(serviceFor('iam-role')).toBe('iam-lockdown');
  });

  it('routes every entity type to exactly one service', () => {
    const covered = SERVICES.flatMap((service) => entityTypesOf(service));
    expect([...covered].sort()).toEqual([...ENTITY_TYPES].sort());
  });

  it('builds filter policies on the entityType attribute', () => {
    expect(filterPolicyFor('iam-lockdown')).toEqual({ entityType: ['iam-user', 'iam-role', 'iam-role-session'] });
    expect(filterPolicyFor('ec2-isolation')).toEqual({ entityType: ['ec2-instance'] });
  });

  it('cannot be modified at run time', () => {
    expect(() => {
      (ROUTING as Record<string, string>)['iam-user'] = 'ec2-isolation';
    }).toThrow(TypeError);
  });
});
