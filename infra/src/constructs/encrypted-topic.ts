import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface EncryptedTopicProps {
  readonly topicName: string;
  readonly displayName: string;
  /**
   * AWS services that publish to the topic (CloudWatch alarms): a topic policy replaces SNS's
   * default one, so each is allowed here, with its key use, only for sources of this account
   * matching `sourceArnLike` (no confused deputy).
   * @default none: principals publish only as `allowPublishers` allows them
   */
  readonly servicePublishers?: ReadonlyArray<{ readonly service: string; readonly sourceArnLike: string }>;
}

/** An SNS topic encrypted with its own customer-managed key, refusing anything but TLS. */
export class EncryptedTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts the ${props.topicName} topic` });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
    const account = Stack.of(this).account;
    for (const { service, sourceArnLike } of props.servicePublishers ?? []) {
      const principals = [new iam.ServicePrincipal(service)];
      const conditions = { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': sourceArnLike } };
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({ principals, actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions }),
      );
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({ principals, actions: ['sns:Publish'], resources: [this.topic.topicArn], conditions }),
      );
    }
  }

  /** Lets these principals publish (topic policy) and use the key for it, through SNS only (key policy). */
  allowPublishers(sid: string, arns: string[]): void {
    if (arns.length === 0) return;
    const principals = arns.map((arn) => new iam.ArnPrincipal(arn));
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({ sid, principals, actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublishThroughSnsOnly',
        principals,
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
