import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CliError, EXIT, awsConfigProblem } from './errors';
import { regionConfig } from './region';

export interface TargetOptions {
  topicArn?: string;
  externalId?: string;
  stack?: string;
  /** The security account's region (securityRegion). */
  region?: string;
}

/**
 * Where to publish and with which ExternalId: flags first, then LOCKDOWN_TOPIC_ARN /
 * LOCKDOWN_EXTERNAL_ID, then the core stack's outputs (and its secret).
 */
export async function resolveTarget(
  options: TargetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ topicArn: string; externalId: string }> {
  let topicArn = options.topicArn ?? env.LOCKDOWN_TOPIC_ARN;
  let externalId = options.externalId ?? env.LOCKDOWN_EXTERNAL_ID;
  if (topicArn && externalId) return { topicArn, externalId };
  const stackName = options.stack ?? 'LockdownCore';
  const { Stacks } = await new CloudFormationClient(regionConfig(options.region))
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .catch((error: Error) => {
      throw (
        awsConfigProblem(error) ??
        new CliError(
          `no --topic-arn/--external-id (or LOCKDOWN_TOPIC_ARN/LOCKDOWN_EXTERNAL_ID), and the stack ${stackName} could not be read: ${error.message}`,
          EXIT.invalidInput,
        )
      );
    });
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  topicArn ??= outputs['IngressTopicArn'];
  if (!topicArn) throw new CliError(`stack ${stackName} has no IngressTopicArn output`, EXIT.invalidInput);
  if (!externalId) {
    const secretArn = outputs['ExternalIdSecretArn'];
    if (!secretArn) throw new CliError(`stack ${stackName} has no ExternalIdSecretArn output`, EXIT.invalidInput);
    externalId = (await new SecretsManagerClient(regionConfig(options.region)).send(new GetSecretValueCommand({ SecretId: secretArn })))
      .SecretString;
  }
  if (!externalId) throw new CliError('the ExternalId secret is empty', EXIT.invalidInput);
  return { topicArn, externalId };
}
