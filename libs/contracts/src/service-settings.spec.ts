import { _default, array, boolean, enum as zEnum, gte, int, lte, number, object, regex, string } from 'zod/mini';
import { settingVariable, settingsEnvironment, settingsFromEnvironment } from './service-settings';

const owner = {
  name: 'example-lockdown',
  settings: object({
    windowSeconds: _default(number().check(int(), gte(0), lte(900)), 60),
    snapshotVolumes: _default(boolean(), false),
    roleMode: _default(zEnum(['targeted', 'whole-role']), 'targeted'),
    s3Principals: _default(array(string().check(regex(/^arn:/, { error: 's3Principals must be ARNs' }))), []),
    label: _default(string(), 'none'),
  }),
};

describe('service settings as environment variables', () => {
  it('names each variable after its cdk.json key, in upper snake case', () => {
    expect(settingVariable('untrackedWindowSeconds')).toBe('UNTRACKED_WINDOW_SECONDS');
    expect(settingVariable('s3BreakGlassPrincipals')).toBe('S3_BREAK_GLASS_PRINCIPALS');
    expect(settingVariable('lambdaRoleMode')).toBe('LAMBDA_ROLE_MODE');
  });

  it('reads back exactly what the stack sets, whatever the kind of value', () => {
    const config = { windowSeconds: 0, snapshotVolumes: true, roleMode: 'whole-role', s3Principals: ['arn:a', 'arn:b,c'], label: '0123' };

    const env = settingsEnvironment(owner, config);

    expect(env).toEqual({
      WINDOW_SECONDS: '0',
      SNAPSHOT_VOLUMES: 'true',
      ROLE_MODE: 'whole-role',
      S3_PRINCIPALS: '["arn:a","arn:b,c"]',
      LABEL: '"0123"',
    });
    expect(settingsFromEnvironment(owner, env)).toEqual(config);
  });

  it('takes the defaults for unset and empty variables, and ignores settings of other services', () => {
    expect(settingsFromEnvironment(owner, { ROLE_MODE: '', OTHER: 'x' })).toEqual(owner.settings.parse({}));
    expect(settingsEnvironment(owner, { otherServiceSetting: true })).toEqual(settingsEnvironment(owner, {}));
  });

  it('stops on a bad value with an error naming the service, the variable and what it holds', () => {
    expect(() => settingsFromEnvironment(owner, { SNAPSHOT_VOLUMES: 'yes', WINDOW_SECONDS: '901' })).toThrow(
      /^example-lockdown is not configured: WINDOW_SECONDS: .*900.* \(got "901"\); SNAPSHOT_VOLUMES: .*boolean.* \(got "yes"\)$/,
    );
    expect(() => settingsFromEnvironment(owner, { S3_PRINCIPALS: '["arn:ok","bad"]' })).toThrow(
      'example-lockdown is not configured: S3_PRINCIPALS.1: s3Principals must be ARNs (got "[\\"arn:ok\\",\\"bad\\"]")',
    );
  });
});
