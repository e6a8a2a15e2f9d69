import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Action, Authority, authorityFor } from '@lockdown/contracts';
import { CliError, EXIT, awsConfigProblem } from './errors';
import { regionConfig } from './region';

export interface TargetOptions {
  /** The ingress topic (contain). */
  topicArn?: string;
  /** The release topic (release): release is its own authority, with its own publishers. */
  releaseTopicArn?: string;
  externalId?: string;
  stack?: string;
  /** The security account's region (securityRegion). */
  region?: string;
}

/** Where each authority's topic comes from: its flag, its environment variable, the core stack's output. */
export const TOPIC_SOURCES: Record<Authority, { option: keyof TargetOptions; flag: string; env: string; output: string }> = {
  ingress: { option: 'topicArn', flag: '--topic-arn', env: 'LOCKDOWN_TOPIC_ARN', output: 'IngressTopicArn' },
  release: { option: 'releaseTopicArn', flag: '--release-topic-arn', env: 'LOCKDOWN_RELEASE_TOPIC_ARN', output: 'ReleaseTopicArn' },
};

/**
 * Where to publish and with which ExternalId: a containment to the ingress topic, a release to the
 * release topic; each from its flag first, then its environment variable (LOCKDOWN_TOPIC_ARN,
 * LOCKDOWN_RELEASE_TOPIC_ARN) and LOCKDOWN_EXTERNAL_ID, then the core stack's outputs (and its secret).
 */
export async function resolveTarget(
  options: TargetOptions,
  action: Action,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ topicArn: string; externalId: string }> {
  const source = TOPIC_SOURCES[authorityFor(action)];
  let topicArn = options[source.option] || env[source.env] || undefined;
  let externalId = options.externalId ?? env.LOCKDOWN_EXTERNAL_ID;
  if (topicArn && externalId) return { topicArn, externalId };
  const stackName = options.stack ?? 'LockdownCore';
  const { Stacks } = await new CloudFormationClient(regionConfig(options.region))
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .catch((error: Error) => {
      throw (
        awsConfigProblem(error) ??
        new CliError(
          `no ${source.flag}/--external-id (or ${source.env}/LOCKDOWN_EXTERNAL_ID), and the stack ${stackName} could not be read: ${error.message}`,
          EXIT.invalidInput,
        )
      );
    });
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  topicArn ??= outputs[source.output];
  if (!topicArn) throw new CliError(`stack ${stackName} has no ${source.output} output`, EXIT.invalidInput);
  if (!externalId) {
    const secretArn = outputs['ExternalIdSecretArn'];
    if (!secretArn) throw new CliError(`stack ${stackName} has no ExternalIdSecretArn output`, EXIT.invalidInput);
    externalId = (await new SecretsManagerClient(regionConfig(options.region)).send(new GetSecretValueCommand({ SecretId: secretArn })))
      .SecretString;
  }
  if (!externalId) throw new CliError('the ExternalId secret is empty', EXIT.invalidInput);
  return { topicArn, externalId };
}
