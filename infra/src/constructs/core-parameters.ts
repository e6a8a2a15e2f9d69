import { CfnOutput } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PARAMETERS } from '../names';
import { CoreTopics } from './core-topics';

/**
 * What the other stacks need of the core stack, as SSM parameters (no CloudFormation exports: each
 * stack deploys on its own), and what a responder needs, as outputs. Added to its scope.
 */
export function shareCoreArns(scope: Construct, topics: CoreTopics, externalIdSecretArn: string) {
  const parameter = (id: string, parameterName: string, stringValue: string) =>
    new ssm.StringParameter(scope, id, { parameterName, stringValue });
  parameter('DispatchTopicParameter', PARAMETERS.dispatchTopicArn, topics.dispatch.topic.topicArn);
  parameter('AuditTopicParameter', PARAMETERS.auditTopicArn, topics.audit.topic.topicArn);
  parameter('AuditKeyParameter', PARAMETERS.auditKeyArn, topics.audit.key.keyArn);
  // What the triggers stack (and a service whose sweep contains) publishes with, like any publisher:
  // the ingress topic (and, with the Security Hub release action on, the release topic), their keys, the ExternalId.
  parameter('IngressTopicParameter', PARAMETERS.ingressTopicArn, topics.ingress.topic.topicArn);
  parameter('IngressKeyParameter', PARAMETERS.ingressKeyArn, topics.ingress.key.keyArn);
  parameter('ReleaseTopicParameter', PARAMETERS.releaseTopicArn, topics.release.topic.topicArn);
  parameter('ReleaseKeyParameter', PARAMETERS.releaseKeyArn, topics.release.key.keyArn);
  parameter('ExternalIdSecretParameter', PARAMETERS.externalIdSecretArn, externalIdSecretArn);

  new CfnOutput(scope, 'IngressTopicArn', { value: topics.ingress.topic.topicArn, description: 'Publish lockdown requests here' });
  new CfnOutput(scope, 'ReleaseTopicArn', {
    value: topics.release.topic.topicArn,
    description: 'Publish lockdown releases here (releasers only)',
  });
  new CfnOutput(scope, 'ExternalIdSecretArn', { value: externalIdSecretArn, description: 'The ExternalId requests must carry' });
}
