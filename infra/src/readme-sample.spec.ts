import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { checkSettingNames, configWarnings } from '@lockdown/services';
import { synth } from '../test/synth';

/** README's walk-through starts from a sample `cdk.json` context: it must synthesize as it is. */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const sample = JSON.parse(/<!-- sample-cdk-context -->\n```json\n([\s\S]*?)\n```/.exec(README)?.[1] ?? 'null') as Record<string, unknown>;

describe("README's sample cdk.json context", () => {
  it('is there, names only settings lockdown knows, and leaves nothing to warn about', () => {
    expect(sample).toMatchObject({ securityAccountId: expect.stringMatching(/^\d{12}$/) });
    expect(() => checkSettingNames(Object.keys(sample))).not.toThrow();
    expect(configWarnings(synth(sample).config)).toEqual([]);
  });

  it('synthesizes every stack (cdk-nag included) with what it says: the member role trusts its security account, the guard its targets, the release topic its releasers', () => {
    const built = synth(sample);
    expect(JSON.stringify(Template.fromStack(built.member).toJSON())).toContain(`${sample['securityAccountId']}`);
    Template.fromStack(built.orgGuard).hasResourceProperties('AWS::Organizations::Policy', { TargetIds: sample['orgGuardTargets'] });
    expect(JSON.stringify(Template.fromStack(built.core).findResources('AWS::SNS::TopicPolicy'))).toContain(
      (sample['allowedReleasers'] as string[])[0],
    );
  });
});
