import { EC2Client } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { Ec2Fixtures, LocalDynamo, SimulatedAws, startDynalite } from '@lockdown/sandbox';
import { CliError } from '../errors';
import { Output } from '../output';
import { runCleanup } from './cleanup';
import { runStatus } from './status';

const captured = () => {
  const lines: string[] = [];
  return {
    lines,
    output: (json: boolean) =>
      new Output(
        json,
        (t) => lines.push(t),
        (t) => lines.push(t),
      ),
  };
};

describe('lockdown status', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.stop());

  it("reads the owning service's ledger and says whether the entity is contained now", async () => {
    const arn = 'arn:aws:lambda:eu-west-1:111111111111:function:payments';
    const table = await dynamo.createLedgerTable('lockdown-lambda-lockdown-ledger');
    const record: LedgerRecord = {
      arn,
      entityType: 'lambda-function',
      cycle: 1,
      status: 'contained',
      request: { requestId: 'req-7', requestedAt: '2026-11-26T04:00:00.000Z', requestedBy: 'soc' },
      original: { capturedAt: '2026-11-26T04:00:01.000Z', requestId: 'req-7', state: {} },
      steps: [
        {
          id: 'reserved-concurrency-zero',
          kind: 'concurrency',
          description: 'Set reserved concurrency of payments to 0',
          stage: 1,
          params: {},
          original: null,
          calls: { apply: [], undo: [] },
          status: 'applied',
          at: '2026-11-26T04:00:01.200Z',
        },
      ],
      timeline: [{ at: '2026-11-26T04:00:01.300Z', requestId: 'req-7', event: 'contained and verified' }],
      updatedAt: '2026-11-26T04:00:01.300Z',
    };
    await new DynamoDbLedger(table, dynamo.client).create(record, undefined);

    await new DynamoDbLedger(table, dynamo.client).recordSweep(arn, 1, [
      {
        eventId: '6f1c0e9a-0000-4000-8000-000000000001',
        eventTime: '2026-11-26T03:58:00Z',
        eventName: 'CreateFunctionUrlConfig',
        region: 'eu-west-1',
        sourceIp: '203.0.113.66',
        category: 'network-exposure',
        reason: 'a function URL anyone can call (AuthType NONE): AuthType NONE',
        entities: ['lambda-function payments'],
        action: 'reported',
      },
    ]);

    const human = captured();
    await runStatus(`${arn}:live`, {}, human.output(false), dynamo.client);
    expect(human.lines.join('\n')).toContain('status:   contained (contained now)');
    expect(human.lines.join('\n')).toContain('[applied] Set reserved concurrency of payments to 0');
    expect(human.lines.join('\n')).toContain(
      '    [network-exposure] a function URL anyone can call (AuthType NONE): AuthType NONE: lambda-function payments (reported)\n      CreateFunctionUrlConfig at 2026-11-26T03:58:00Z in eu-west-1 from 203.0.113.66, event 6f1c0e9a-0000-4000-8000-000000000001',
    );

    const json = captured();
    const jsonOutput = json.output(true);
    await runStatus('arn:aws:lambda:eu-west-1:111111111111:function:other', {}, jsonOutput, dynamo.client);
    jsonOutput.flush();
    expect(JSON.parse(json.lines[0]!)).toEqual({
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:other',
      service: 'lambda-lockdown',
      contained: false,
      record: null,
    });
  });
  it('says lockdown is not deployed in the region when the ledger table is missing (not "check --topic-arn")', async () => {
    const region = await dynamo.client.config.region();
    await expect(
      runStatus('arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0', {}, captured().output(false), dynamo.client),
    ).rejects.toThrow(
      new CliError(
        `lockdown is not deployed in ${region} (no table lockdown-ec2-isolation-ledger): pass --region <the security account's region>`,
      ),
    );
  });
});

describe('lockdown cleanup', () => {
  const sim = new SimulatedAws();
  let uninstall: () => void;
  beforeAll(() => {
    uninstall = sim.install();
    sim.homeAccountId = '111111111111';
  });
  afterAll(() => uninstall());

  it('lists the unused lockdown groups, deletes them only with --apply, and keeps the ones in use', async () => {
    const fx = new Ec2Fixtures(sim, '111111111111', 'eu-west-1');
    const net = fx.network();
    const tagged = (name: string) =>
      sim.seed(
        '111111111111',
        'ec2',
        'CreateSecurityGroup',
        {
          VpcId: net.vpcId,
          GroupName: name,
          Description: name,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'lockdown:managed', Value: 'true' }] }],
        },
        'eu-west-1',
      ).GroupId as string;
    const unused = tagged('lockdown-untracked');
    const used = tagged('lockdown-isolation');
    fx.instance({ subnetId: net.subnetId, appGroup: used });
    const clients = { ec2: new EC2Client({ region: 'eu-west-1' }), sts: new STSClient({ region: 'eu-west-1' }) };

    const dry = captured();
    const dryOutput = dry.output(true);
    await runCleanup({ account: '111111111111', region: 'eu-west-1' }, dryOutput, clients);
    dryOutput.flush();
    const listed = JSON.parse(dry.lines[0]!).groups;
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ groupId: unused, inUseBy: 0, deleted: false }),
        expect.objectContaining({ groupId: used, inUseBy: 1 }),
      ]),
    );
    expect(sim.account('111111111111').ec2.get('eu-west-1')!.securityGroups.has(unused)).toBe(true);

    await runCleanup({ account: '111111111111', region: 'eu-west-1', apply: true }, captured().output(false), clients);
    const groups = sim.account('111111111111').ec2.get('eu-west-1')!.securityGroups;
    expect(groups.has(unused)).toBe(false);
    expect(groups.has(used)).toBe(true);
  });

  it('refuses to run against another account than the credentials belong to', async () => {
    const clients = { ec2: new EC2Client({ region: 'eu-west-1' }), sts: new STSClient({ region: 'eu-west-1' }) };
    await expect(
      runCleanup({ account: '222222222222', region: 'eu-west-1', apply: true }, captured().output(false), clients),
    ).rejects.toThrow(CliError);
  });
});
