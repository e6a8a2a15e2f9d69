// Sample events in the formats AWS documents: a GuardDuty finding as EventBridge delivers it
// (detail-type "GuardDuty Finding", GuardDuty's finding format, camelCase) and a Security Hub
// custom action event (detail-type "Security Hub Findings - Custom Action", findings in ASFF).

export interface SampleEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

let counter = 0;
const eventId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const findingId = () => `${Date.now().toString(16)}${String(++counter).padStart(20, '0')}`.slice(-32);

export interface GuardDutySample {
  type: string;
  severity: number;
  accountId: string;
  region: string;
  resource: Record<string, unknown>;
  archived?: boolean;
  /** Marked as GuardDuty's "Generate sample findings" marks its findings (service.additionalInfo.sample). */
  sample?: boolean;
  /** The delegated administrator account that aggregates the organization's findings. */
  adminAccount?: string;
  /** An attack sequence's actors and resources (service.detection.sequence; the resource is then `AttackSequence`). */
  sequence?: { actors?: object[]; resources?: object[] };
}

/** GuardDuty's resource blocks (resource.resourceType and its details). */
export const guardDutyResource = {
  instance: (instanceId: string) => ({ resourceType: 'Instance', instanceDetails: { instanceId, instanceState: 'running' } }),
  lambda: (functionArn: string) => ({
    resourceType: 'Lambda',
    lambdaDetails: { functionArn, functionName: functionArn.split(':')[6] },
  }),
  userKey: (userName: string) => ({
    resourceType: 'AccessKey',
    accessKeyDetails: { accessKeyId: 'AKIAEXAMPLEEXAMPLE01', principalId: 'AIDAEXAMPLEEXAMPLE01', userName, userType: 'IAMUser' },
  }),
  sessionKey: (roleName: string, roleId: string, session: string) => ({
    resourceType: 'AccessKey',
    accessKeyDetails: {
      accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      principalId: `${roleId}:${session}`,
      userName: roleName,
      userType: 'AssumedRole',
    },
  }),
  bucket: (name: string) => ({ resourceType: 'S3Bucket', s3BucketDetails: [{ arn: `arn:aws:s3:::${name}`, name, type: 'Destination' }] }),
};

export function guardDutyFindingEvent(sample: GuardDutySample): SampleEvent {
  const id = findingId();
  const time = new Date().toISOString();
  return {
    version: '0',
    id: eventId(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: sample.adminAccount ?? sample.accountId,
    time,
    region: sample.region,
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: sample.accountId,
      region: sample.region,
      partition: 'aws',
      id,
      arn: `arn:aws:guardduty:${sample.region}:${sample.accountId}:detector/12abc34d567e8fa901bc2d34eexample/finding/${id}`,
      type: sample.type,
      resource: sample.resource,
      service: {
        serviceName: 'guardduty',
        detectorId: '12abc34d567e8fa901bc2d34eexample',
        action: {},
        archived: sample.archived ?? false,
        ...(sample.sample ? { additionalInfo: { sample: true } } : {}),
        ...(sample.sequence
          ? {
              featureName: 'Correlation',
              detection: { sequence: { uid: `sequence-${id}`, description: 'A sample attack sequence', signals: [], ...sample.sequence } },
            }
          : {}),
        count: 1,
        eventFirstSeen: time,
        eventLastSeen: time,
      },
      severity: sample.severity,
      createdAt: time,
      updatedAt: time,
      title: `${sample.type} (sample)`,
      description: `A sample ${sample.type} finding`,
    },
  };
}

/**
 * An attack sequence's actors and resources (GuardDuty API `Actor`, `ResourceV2`, camelCase as
 * EventBridge delivers them); the finding's own resource is `{ resourceType: 'AttackSequence' }`.
 */
export const sequenceActor = {
  user: (name: string, accountId: string) => ({
    id: `actor-${name}`,
    user: { name, uid: 'AIDAEXAMPLEEXAMPLE01', type: 'IAMUser', credentialUid: 'AKIAEXAMPLEEXAMPLE01', account: { uid: accountId } },
  }),
  session: (roleName: string, roleId: string, session: string, accountId: string) => ({
    id: `actor-${session}`,
    user: {
      name: roleName,
      uid: `${roleId}:${session}`,
      type: 'AssumedRole',
      credentialUid: 'ASIAEXAMPLEEXAMPLE01',
      account: { uid: accountId },
    },
    session: { uid: `${roleId}:${session}` },
  }),
};
export const sequenceResource = {
  instance: (instanceId: string, accountId: string, region: string) => ({
    uid: instanceId,
    accountId,
    region,
    resourceType: 'EC2_INSTANCE',
    cloudPartition: 'aws',
    data: { ec2Instance: { instanceState: 'running' } },
  }),
  autoScalingGroup: (name: string, instanceIds: string[], accountId: string, region: string) => ({
    uid: name,
    name,
    accountId,
    region,
    resourceType: 'AUTOSCALING_AUTO_SCALING_GROUP',
    data: { autoscalingAutoScalingGroup: { ec2InstanceUids: instanceIds } },
  }),
  bucket: (name: string, accountId: string) => ({ uid: name, name, accountId, resourceType: 'S3_BUCKET', data: { s3Bucket: {} } }),
  vpc: (vpcId: string, accountId: string) => ({ uid: vpcId, accountId, resourceType: 'EC2_VPC', data: { ec2Vpc: {} } }),
};

/**
 * The new Security Hub's `Findings Imported V2` event: one OCSF finding, shaped as Sumo Logic's
 * published sample (SumoLogic/sumologic-documentation, docs/integrations/cloud-security-monitoring-analytics/aws-security-hub-ocsf.md).
 */
export function ocsfFindingEvent(o: {
  product: 'guardduty' | 'securityhub';
  accountId: string;
  region: string;
  types: string[];
  /** 1 Informational to 6 Fatal. */
  severityId: number;
  resources: object[];
  statusId?: number;
  control?: string;
  title?: string;
}): SampleEvent {
  const id = findingId();
  const uid = `${id}${id}`;
  const finding = {
    activity_id: 1,
    class_name: o.product === 'guardduty' ? 'Detection Finding' : 'Compliance Finding',
    class_uid: o.product === 'guardduty' ? 2004 : 2003,
    cloud: { account: { type: 'AWS Account', type_id: 10, uid: o.accountId }, cloud_partition: 'aws', provider: 'AWS', region: o.region },
    finding_info: {
      title: o.title ?? `${o.types[0]} (sample)`,
      types: o.types,
      uid: `arn:aws:${o.product}:${o.region}:${o.accountId}:finding/${id}`,
    },
    metadata: {
      product: {
        name: o.product === 'guardduty' ? 'GuardDuty' : 'Security Hub',
        uid: `arn:aws:securityhub:${o.region}::productv2/aws/${o.product}`,
        vendor_name: 'AWS',
      },
      uid,
      version: '1.5.0',
    },
    ...(o.control ? { compliance: { control: o.control, status: 'Fail', status_id: 3 } } : {}),
    resources: o.resources,
    severity_id: o.severityId,
    status_id: o.statusId ?? 1,
  };
  return {
    version: '0',
    id: eventId(),
    'detail-type': 'Findings Imported V2',
    source: 'aws.securityhub',
    account: o.accountId,
    time: new Date().toISOString(),
    region: o.region,
    resources: [uid],
    detail: { findings: [finding] },
  };
}

/** An ASFF finding with the given resources (Type and Id, as Security Hub's AWS resource types). */
export function asffFinding(accountId: string, region: string, resources: Array<{ Type: string; Id: string; Details?: object }>) {
  const id = findingId();
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${region}:${accountId}:finding/${id}`,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
    GeneratorId: 'sample',
    AwsAccountId: accountId,
    Types: ['Unusual Behaviors/User'],
    CreatedAt: new Date().toISOString(),
    UpdatedAt: new Date().toISOString(),
    Severity: { Label: 'HIGH', Normalized: 70 },
    Title: 'Suspicious activity (sample)',
    Description: 'A sample finding',
    Resources: resources.map((r) => ({ Partition: 'aws', Region: region, ...r })),
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  };
}

/** What Security Hub sends when a responder chooses a custom action on findings. */
export function customActionEvent(actionArn: string, findings: object[], region: string, account: string): SampleEvent {
  return {
    version: '0',
    id: eventId(),
    'detail-type': 'Security Hub Findings - Custom Action',
    source: 'aws.securityhub',
    account,
    time: new Date().toISOString(),
    region,
    resources: [actionArn],
    detail: { actionName: actionArn.split('/').pop(), actionDescription: 'lockdown custom action', findings },
  };
}
