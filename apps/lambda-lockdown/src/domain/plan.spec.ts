import { ObservedFunction } from './observed';
import { lambdaContainmentGaps, planLambdaContainment } from './plan';
import * as kinds from './step-kinds';

const fn = (overrides: Partial<ObservedFunction> = {}): ObservedFunction => ({
  functionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:payments',
  name: 'payments',
  roleArn: 'arn:aws:iam::111111111111:role/exec',
  roleName: 'exec',
  reservedConcurrency: null,
  eventSourceMappings: [],
  tags: {},
  ...overrides,
});
const summary = (observed: ObservedFunction, roleMode: 'targeted' | 'whole-role' = 'targeted') =>
  planLambdaContainment(observed, { partition: 'aws', requestId: 'req-1', roleMode }).map(
    (s) => `${s.stage} ${s.id} ${JSON.stringify(s.original)}`,
  );

describe('planLambdaContainment', () => {
  it.each([
    [
      'no reserved concurrency: release deletes it again',
      fn(),
      'targeted',
      ['0 deny-function-credentials null', '1 reserved-concurrency-zero null', '1 guard-role:exec null', '1 tag null'],
    ],
    [
      'reserved concurrency 7: release puts 7 back',
      fn({ reservedConcurrency: 7 }),
      'targeted',
      ['0 deny-function-credentials null', '1 reserved-concurrency-zero 7', '1 guard-role:exec null', '1 tag null'],
    ],
    [
      'already at 0: nothing to change there',
      fn({ reservedConcurrency: 0 }),
      'targeted',
      ['0 deny-function-credentials null', '1 guard-role:exec null', '1 tag null'],
    ],
    [
      'only mappings that deliver events are disabled',
      fn({
        eventSourceMappings: [
          { uuid: 'a', arn: 'arn:aws:lambda:eu-west-1:111111111111:event-source-mapping:a', state: 'Enabled' },
          { uuid: 'b', arn: 'arn:aws:lambda:eu-west-1:111111111111:event-source-mapping:b', state: 'Disabled' },
          { uuid: 'c', arn: 'arn:aws:lambda:eu-west-1:111111111111:event-source-mapping:c', state: 'Creating' },
        ],
      }),
      'targeted',
      [
        '0 deny-function-credentials null',
        '1 reserved-concurrency-zero null',
        '1 disable-mapping:a "Enabled"',
        '1 tag-mapping:a null',
        '1 disable-mapping:c "Enabled"',
        '1 tag-mapping:c null',
        '1 guard-role:exec null',
        '1 tag null',
      ],
    ],
    [
      'whole-role mode also denies the role',
      fn(),
      'whole-role',
      [
        '0 deny-function-credentials null',
        '1 reserved-concurrency-zero null',
        '1 guard-role:exec null',
        '1 tag null',
        '1 attach-aws-deny-all-to-role false',
      ],
    ],
    [
      'whole-role mode, AWSDenyAll already there',
      fn({ roleAttachedPolicies: ['arn:aws:iam::aws:policy/AWSDenyAll'] }),
      'whole-role',
      ['0 deny-function-credentials null', '1 reserved-concurrency-zero null', '1 guard-role:exec null', '1 tag null'],
    ],
  ] as const)('%s', (_name, observed, mode, expected) => {
    expect(summary(observed, mode)).toEqual(expected);
  });

  it("denies this function's credentials only, with and without a qualifier", () => {
    const [deny] = planLambdaContainment(fn(), { partition: 'aws', requestId: 'req-1', roleMode: 'targeted' });
    const document = JSON.parse((deny!.params as { document: string }).document);
    expect(document.Statement[0].Condition).toEqual({
      ArnLike: {
        'lambda:SourceFunctionArn': [
          'arn:aws:lambda:eu-west-1:111111111111:function:payments',
          'arn:aws:lambda:eu-west-1:111111111111:function:payments:*',
        ],
      },
    });
  });
});

describe('lambdaContainmentGaps', () => {
  it.each([
    [fn({ reservedConcurrency: 0, denyPolicyPresent: true }), []],
    [fn({ reservedConcurrency: 3, denyPolicyPresent: true }), ['reserved concurrency of payments is 3, not 0']],
    [fn({ reservedConcurrency: 0, denyPolicyPresent: false }), ['the credential deny is missing from role exec']],
  ])('%#', (observed, gaps) => {
    expect(lambdaContainmentGaps(observed)).toEqual(gaps);
  });
});

// Type tests: `tsc --noEmit` (the typecheck target) fails when a line below @ts-expect-error compiles.
describe("the plan's step kinds", () => {
  const fields = { id: 'x', description: 'x', stage: 1, original: null, calls: { apply: [], undo: [] } };
  const functionArn = fn().functionArn;

  it('make a misspelt kind or parameter a type error, and refuse it at run time too', () => {
    expect(kinds.concurrency.step(fields, { functionArn })).toMatchObject({ kind: 'concurrency', params: { functionArn } });
    // @ts-expect-error: no kind of that name
    expect(() => kinds.concurency.step(fields, { functionArn })).toThrow(TypeError);
    // @ts-expect-error: a misspelt parameter
    expect(() => kinds.concurrency.step(fields, { functonArn: functionArn })).toThrow(/params do not fit concurrency/);
    // @ts-expect-error: a missing parameter
    expect(() => kinds.mappingTag.step(fields, { key: 'k', value: 'v' })).toThrow(/params do not fit mapping-tag \(mappingArn:/);
  });
});
