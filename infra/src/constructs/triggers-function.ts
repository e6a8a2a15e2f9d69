import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { LockdownConfig, reservedConcurrencyOf } from '@lockdown/services';
import { PARAMETERS, bundlePath, functionName, serviceRoleName } from '../names';
import { LockdownFunction } from './lockdown-function';
import { putOutcomeEvents } from './outcome-events';

export interface TriggersFunctionProps {
  readonly config: LockdownConfig;
}

/**
 * The triggers' function (`Triggers`, added to its scope): findings and custom actions to requests on
 * the ingress topic (releases on the release topic, only with the Security Hub release action on),
 * like any publisher's, and outcomes back to findings, with exactly the calls it makes. It finds the
 * core stack's ARNs through SSM parameters.
 */
export class TriggersFunction {
  readonly fn: LockdownFunction;

  constructor(scope: Construct, { config }: TriggersFunctionProps) {
    const param = (name: string) => ssm.StringParameter.valueForStringParameter(scope, name);
    // The Security Hub release action makes the triggers a releaser: only when it is configured.
    const releases = config.triggers.securityHubRelease;
    // The products whose OCSF findings are read from the new Security Hub; GuardDuty's there replace its native events.
    const ocsf = config.triggers.securityHubV2;
    this.fn = new LockdownFunction(scope, 'Triggers', {
      functionName: functionName('triggers'),
      roleName: serviceRoleName('triggers'),
      bundle: bundlePath('triggers'),
      timeout: Duration.seconds(30),
      reservedConcurrency: reservedConcurrencyOf(config, 'triggers'),
      description: 'lockdown triggers: GuardDuty and Security Hub findings and custom actions to requests, outcomes back to findings',
      environment: {
        POWERTOOLS_SERVICE_NAME: 'triggers',
        INGRESS_TOPIC_ARN: param(PARAMETERS.ingressTopicArn),
        ...(releases ? { RELEASE_TOPIC_ARN: param(PARAMETERS.releaseTopicArn) } : {}),
        EXTERNAL_ID_SECRET_ARN: param(PARAMETERS.externalIdSecretArn),
        AUDIT_TOPIC_ARN: param(PARAMETERS.auditTopicArn),
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
        GUARDDUTY_POLICY: JSON.stringify(config.triggers.guardDuty),
        ...(ocsf.length > 0 ? { OCSF_PRODUCTS: ocsf.join(',') } : {}),
      },
    });
    this.grantCalls(config, param);
  }

  /**
   * Exactly the calls the triggers make: publish a request (as any publisher: topic and, through SNS, its key),
   * read the ExternalId, audit (topic, key, outcome events), and note findings in this account's hubs.
   */
  private grantCalls(config: LockdownConfig, param: (name: string) => string) {
    const role = this.fn.role;
    const releases = config.triggers.securityHubRelease;
    const ocsf = config.triggers.securityHubV2.length > 0;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishRequestsAndAudit',
        actions: ['sns:Publish'],
        resources: [
          param(PARAMETERS.ingressTopicArn),
          ...(releases ? [param(PARAMETERS.releaseTopicArn)] : []),
          param(PARAMETERS.auditTopicArn),
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TopicKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [param(PARAMETERS.ingressKeyArn), ...(releases ? [param(PARAMETERS.releaseKeyArn)] : []), param(PARAMETERS.auditKeyArn)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadExternalId',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [param(PARAMETERS.externalIdSecretArn)],
      }),
    );
    role.addToPolicy(putOutcomeEvents(Stack.of(role)));
    // BatchUpdateFindings acts on the hub (AWS's Service Authorization Reference: resource type hub,
    // arn:...:securityhub:<region>:<account>:hub/default), in whichever region a finding lives. The
    // new Security Hub's BatchUpdateFindingsV2 is authorized as the same action, on the hubv2 resource
    // (arn:...:hubv2/<id>, whose id is the hub's own): only with OCSF findings read.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'NoteFindings',
        actions: ['securityhub:BatchUpdateFindings'],
        resources: [
          `arn:${Aws.PARTITION}:securityhub:*:${Aws.ACCOUNT_ID}:hub/default`,
          ...(ocsf ? [`arn:${Aws.PARTITION}:securityhub:*:${Aws.ACCOUNT_ID}:hubv2/*`] : []),
        ],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: "BatchUpdateFindings on this account's Security Hub hub in every region: findings are noted in their own region.",
          appliesTo: [`Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:hub/default`],
        },
        ...(ocsf
          ? [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  "BatchUpdateFindings(V2) on this account's new Security Hub (hubv2) in every region: its id is the hub's own, and OCSF findings are noted in their own region.",
                appliesTo: [`Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:hubv2/*`],
              },
            ]
          : []),
      ],
      true,
    );
  }
}
