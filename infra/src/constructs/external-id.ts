import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * The ExternalId every request must carry (`ExternalId`, added to its scope), generated at deployment.
 * Under the account's `aws/secretsmanager` key: whoever may read it needs no key grant.
 */
export function externalIdSecret(scope: Construct): secrets.Secret {
  const secret = new secrets.Secret(scope, 'ExternalId', {
    description: 'The ExternalId every lockdown request must carry (message attribute ExternalId)',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  NagSuppressions.addResourceSuppressions(secret, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The ExternalId is shared with every publisher; rotating it is a coordinated change (update the secret, then the publishers), not an automatic rotation.',
    },
  ]);
  return secret;
}
