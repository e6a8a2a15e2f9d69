import type { EntityOf } from '@lockdown/contracts';
import { planLambdaContainment } from './domain/plan';

export { createLambdaLockdownHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`). */
export function examplePlan(entity: EntityOf<'lambda-lockdown'>, _now: string) {
  return {
    assumes: 'no reserved concurrency, execution role "example-role", one enabled event source mapping',
    steps: planLambdaContainment(
      {
        functionArn: entity.arn,
        name: entity.name,
        roleArn: `arn:${entity.partition}:iam::${entity.accountId}:role/example-role`,
        roleName: 'example-role',
        reservedConcurrency: null,
        tags: {},
        eventSourceMappings: [
          {
            uuid: '00000000-example-mapping',
            arn: `arn:${entity.partition}:lambda:${entity.region}:${entity.accountId}:event-source-mapping:00000000-example-mapping`,
            state: 'Enabled',
          },
        ],
      },
      { partition: entity.partition, requestId: '<request-id>', roleMode: 'targeted' },
    ),
  };
}
