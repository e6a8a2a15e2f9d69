import { AuditKind, OUTCOME_EVENT_SOURCE, outcomeDetailType } from '@lockdown/contracts';
import { GUARDDUTY_RESOURCE_TYPES } from './guardduty';
import type { OcsfProduct } from './ocsf';

/**
 * lockdown's Security Hub custom actions: the one definition the stack creates, the EventBridge rule
 * matches (through the action ARN) and the triggers read back. Security Hub's CreateActionTarget
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateActionTarget.html): the Id
 * "can contain up to 20 alphanumeric characters" and is the last part of the action's ARN; the Name
 * "can contain up to 20 characters"; the Description must not be blank.
 */
export const CUSTOM_ACTIONS = {
  contain: {
    id: 'LockdownContain',
    name: 'lockdown: contain',
    description: 'Contain the entities of the selected findings with lockdown',
  },
  release: { id: 'LockdownRelease', name: 'lockdown: release', description: 'Release the entities of the selected findings (lockdown)' },
} as const;
export type CustomAction = keyof typeof CUSTOM_ACTIONS;

/** An action target's ARN: `arn:<partition>:securityhub:<region>:<account>:action/custom/<id>`. */
const ACTION_ARN = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:action\/custom\/([A-Za-z0-9]{1,20})$/;

export const customActionArn = (partition: string, region: string, account: string, action: CustomAction) =>
  `arn:${partition}:securityhub:${region}:${account}:action/custom/${CUSTOM_ACTIONS[action].id}`;

/** The action a custom-action event's resource (the action target's ARN) names, if it is lockdown's. */
export function customActionOf(actionArn: string): CustomAction | undefined {
  const id = ACTION_ARN.exec(actionArn)?.[1];
  return (Object.keys(CUSTOM_ACTIONS) as CustomAction[]).find((a) => CUSTOM_ACTIONS[a].id === id);
}

/** The outcomes written back to the finding a request came from. */
export const WRITE_BACK_KINDS: AuditKind[] = ['rejected', 'contained', 'released', 'noop', 'failed', 'tampered'];

/**
 * The EventBridge rules of the triggers stack (one definition: the stack deploys these, the drill
 * matches its sample events against them).
 */
export const TRIGGER_PATTERNS = {
  /** GuardDuty findings on the default bus, of resource types lockdown can act on (attack sequences included). */
  guardDuty: {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: { resource: { resourceType: [...GUARDDUTY_RESOURCE_TYPES] } },
  },
  /** A responder chose one of lockdown's custom actions on findings in Security Hub. */
  customActions: (actionArns: string[]) => ({
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Custom Action'],
    resources: actionArns,
  }),
  /**
   * The new Security Hub's OCSF findings (one per event) of these AWS products, by the product's uid
   * (`arn:<partition>:securityhub:<region>::productv2/aws/<product>`): https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-v2-cwe-event-formats.html.
   */
  securityHubV2: (products: OcsfProduct[]) => ({
    source: ['aws.securityhub'],
    'detail-type': ['Findings Imported V2'],
    detail: { findings: { metadata: { product: { uid: products.map((p) => ({ suffix: `::productv2/aws/${p}` })) } } } },
  }),
  /** lockdown's own outcomes (its bus) of requests that came from a finding. */
  outcomes: {
    source: [OUTCOME_EVENT_SOURCE],
    'detail-type': WRITE_BACK_KINDS.map(outcomeDetailType),
    detail: { request: { finding: { id: [{ exists: true }] } } },
  },
};
