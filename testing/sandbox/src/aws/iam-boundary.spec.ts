import {
  DeleteUserPermissionsBoundaryCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';
const REGION = 'us-east-1';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';

/** A sandbox on a clock the test moves, with one administrator user whose own key makes the calls. */
function sandbox() {
  const sim = new SimulatedAws();
  let now = Date.parse('2026-11-26T12:00:00Z');
  sim.now = () => new Date(now);
  sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: 'admin', Path: '/' });
  sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: 'admin', PolicyArn: ADMIN });
  const { AccessKey } = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: 'admin' });
  const iam = new IAMClient({
    region: REGION,
    credentials: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey },
    maxAttempts: 1,
  });
  return { sim, iam, advance: (ms: number) => void (now += ms) };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (e: Error) => e.name,
  );

describe('permissions boundaries in the sandbox', () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it('GetUser and GetRole return the boundary as IAM does (PermissionsBoundaryType PermissionsBoundaryPolicy, the only value in the SDK model), and nothing when there is none', async () => {
    const { sim, iam } = sandbox();
    uninstall = sim.install();
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: '{"Statement":[]}' });
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role!.PermissionsBoundary).toBeUndefined();

    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'app', PermissionsBoundary: DENY_ALL }));

    expect((await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: DENY_ALL,
    });
  });

  it('refuses a boundary on a principal or with a policy that does not exist with NoSuchEntityException', async () => {
    const { sim, iam } = sandbox();
    uninstall = sim.install();

    expect(await outcome(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'ghost', PermissionsBoundary: DENY_ALL })))).toBe(
      'NoSuchEntityException',
    );
    expect(
      await outcome(
        iam.send(
          new PutUserPermissionsBoundaryCommand({ UserName: 'admin', PermissionsBoundary: 'arn:aws:iam::111111111111:policy/none' }),
        ),
      ),
    ).toBe('NoSuchEntityException');
  });

  it('evaluates the boundary (iam-simulate): AWSDenyAll as the boundary of an administrator refuses its calls, after the propagation delay', async () => {
    const { sim, iam, advance } = sandbox();
    uninstall = sim.install();
    sim.modelIamPropagation(4000);
    const read = () => outcome(iam.send(new GetUserCommand({ UserName: 'admin' })));

    sim.seed(MEMBER, 'iam', 'PutUserPermissionsBoundary', { UserName: 'admin', PermissionsBoundary: DENY_ALL });
    expect(await read()).toBe('allowed');
    advance(4000);
    expect(await read()).toBe('AccessDenied');
    // An administrator boundary allows what the policies allow.
    sim.seed(MEMBER, 'iam', 'PutUserPermissionsBoundary', { UserName: 'admin', PermissionsBoundary: ADMIN });
    advance(4000);
    expect(await read()).toBe('allowed');
    sim.seed(MEMBER, 'iam', 'PutUserPermissionsBoundary', { UserName: 'admin', PermissionsBoundary: DENY_ALL });
    advance(4000);
    expect(await outcome(iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'admin' })))).toBe('AccessDenied');
    sim.seed(MEMBER, 'iam', 'DeleteUserPermissionsBoundary', { UserName: 'admin' });
    advance(4000);
    expect(await read()).toBe('allowed');
    expect(await sim.principalDenied(MEMBER, 'user', 'admin')).toBe(false);
  });
});
