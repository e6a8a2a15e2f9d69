/**
 * The new Security Hub's `Findings Imported V2` event of a GuardDuty finding, as published by Sumo
 * Logic ("Sample log message", SumoLogic/sumologic-documentation,
 * docs/integrations/cloud-security-monitoring-analytics/aws-security-hub-ocsf.md), verbatim but for
 * the evidences and remediation left out. A Stealth:IAMUser finding on a role session's key, Suppressed.
 */
export const sumoLogicOcsfEvent = {
  version: '0',
  id: '994b02ab-3ee4-9576-abcb-6a920op2c085',
  'detail-type': 'Findings Imported V2',
  source: 'aws.securityhub',
  account: '869728294964',
  time: '2025-07-22T03:03:15Z',
  region: 'us-east-1',
  resources: ['1d24e91799652d9e17025b61d94f436b20b515b6f3cd9bda788f48c1db9cf244'],
  detail: {
    findings: [
      {
        activity_id: 2,
        activity_name: 'Update',
        category_name: 'Findings',
        category_uid: 2,
        class_name: 'Detection Finding',
        class_uid: 2004,
        cloud: {
          account: { type: 'AWS Account', type_id: 10, uid: '869728294964' },
          cloud_partition: 'aws',
          provider: 'AWS',
          region: 'us-east-1',
        },
        comment: "John's testing",
        count: 264,
        finding_info: {
          analytic: { type: 'Rule', type_id: 1, uid: 'b4c71b47fb852d3fc0e99a82fa2841aa' },
          created_time: 1729766226938,
          created_time_dt: '2024-10-24T10:37:06.938Z',
          desc: 'AWS CloudTrail trail Aws-Observability-e2esumoqeui was disabled by cis_automation calling DeleteTrail under unusual circumstances. This can be attackers attempt to cover their tracks by eliminating any trace of activity performed while they accessed your account.',
          first_seen_time: 1729765286000,
          first_seen_time_dt: '2024-10-24T10:21:26.000Z',
          last_seen_time: 1753152734000,
          last_seen_time_dt: '2025-07-22T02:52:14.000Z',
          modified_time: 1753153354272,
          modified_time_dt: '2025-07-22T03:02:34.272Z',
          product: { uid: 'b4c71b47fb852d3fc0e99a82fa2841aa' },
          title: 'An AWS CloudTrail trail Aws-Observability-e2esumoqeui was disabled.',
          types: ['Stealth:IAMUser/CloudTrailLoggingDisabled'],
          uid: 'arn:aws:guardduty:us-east-1:869728294630:detector/b4c71b47fb852d3fc0e99a82fa2841aa/finding/06c95f0cfdfd3b579b977e20e9da1aa4',
          uid_alt: '06c95f0cfdfd3b579b977e20e9da1aa4',
        },
        metadata: {
          product: { name: 'GuardDuty', uid: 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty', vendor_name: 'AWS' },
          profiles: ['cloud', 'datetime'],
          uid: '1d24e91799652d9e17025b61d94f436b20b515b6f3cd9bda788f48c1db9cf244',
          version: '1.5.0',
        },
        resources: [
          {
            cloud_partition: 'aws',
            data: {
              access_key_id: 'ASIA4U76YS3TB3MEOA3O',
              principal_id: 'AROA4U76YS3THXXBAIOOA:aws-go-sdk-1753152318418995274',
              user_name: 'cis_automation',
              user_type: 'AssumedRole',
            },
            name: 'cis_automation',
            owner: { account: { type: 'AWS Account', type_id: 10, uid: '869728294964' } },
            region: 'us-east-1',
            type: 'AWS::IAM::AccessKey',
            uid: 'ASIA4U76YS3TEOA3O',
          },
        ],
        severity: 'Low',
        severity_id: 2,
        status: 'Suppressed',
        status_id: 3,
        time: 1753153354272,
        time_dt: '2025-07-22T03:02:34.272Z',
        type_name: 'Detection Finding: Update',
        type_uid: 200402,
        vendor_attributes: { severity: 'Low', severity_id: 2 },
      },
    ],
  },
};

/** The published finding, made active (status New) and as severe as the caller says. */
export const activeSumoFinding = (changes: Record<string, unknown> = {}) => ({
  ...sumoLogicOcsfEvent.detail.findings[0]!,
  status: 'New',
  status_id: 1,
  ...changes,
});
