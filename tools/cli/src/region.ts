import { CliError, EXIT } from './errors';

/** The region in an ARN (`arn:partition:service:region:account:...`), if it names one. */
const regionOfArn = (arn: string | undefined) => arn?.split(':')[3] || undefined;

/**
 * The security account's region, where the ingress topic and the ledgers are: `--region`, else
 * the region in the topic ARN (ingress or release topic: flag or environment variable), else the SDK's (AWS_REGION, profile).
 * A `--region` that contradicts the topic ARN is refused: lockdown lives in one region.
 */
export function securityRegion(
  options: { region?: string; topicArn?: string; releaseTopicArn?: string },
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const topicArn =
    options.topicArn ?? options.releaseTopicArn ?? (env.LOCKDOWN_TOPIC_ARN || undefined) ?? (env.LOCKDOWN_RELEASE_TOPIC_ARN || undefined);
  const fromTopic = regionOfArn(topicArn);
  if (options.region && fromTopic && options.region !== fromTopic)
    throw new CliError(
      `--region ${options.region}, but the topic ${topicArn} is in ${fromTopic} (lockdown lives in one region); nothing was sent`,
      EXIT.invalidInput,
    );
  return options.region ?? fromTopic;
}

/** SDK client options for that region (none: the SDK's own resolution, whose absence awsConfigProblem explains). */
export const regionConfig = (region: string | undefined) => (region ? { region } : {});
