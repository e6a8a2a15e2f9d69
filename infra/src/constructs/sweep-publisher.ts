import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SweepIngress } from '@lockdown/services';

/**
 * What a service's sweep needs to contain what it finds, and nothing more: publish to the ingress
 * topic like any publisher (`publishRequests`: sns:Publish on that topic, its key through SNS only)
 * and read the ExternalId (`ExternalIdSecret`: GetSecretValue on that secret, which is encrypted
 * with the account's `aws/secretsmanager` key: no key grant). Only when the sweep's policy contains.
 */
export function grantSweepPublishing(role: iam.IRole, ingress: SweepIngress & { readonly keyArn: string }) {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'SweepPublishesRequests', actions: ['sns:Publish'], resources: [ingress.topicArn] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'SweepIngressKey',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [ingress.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'SweepReadsExternalId',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [ingress.externalIdSecretArn],
    }),
  );
}
