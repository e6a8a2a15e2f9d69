import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OUTCOME_EVENT_BUS, OUTCOME_EVENT_SOURCE } from '@lockdown/contracts';

/** The outcome events' bus in this account and region (created by the core stack). */
export const outcomeBusArn = (stack: Stack) =>
  stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: OUTCOME_EVENT_BUS, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

/**
 * Put events on lockdown's bus, and only as `lockdown`. events:source is multivalued (ArrayOfString
 * in AWS's Service Authorization Reference): a plain StringEquals would never match, so ForAllValues,
 * with Null so that a request without a source does not pass vacuously.
 */
export const putOutcomeEvents = (stack: Stack) =>
  new iam.PolicyStatement({
    sid: 'OutcomeEvents',
    actions: ['events:PutEvents'],
    resources: [outcomeBusArn(stack)],
    conditions: { 'ForAllValues:StringEquals': { 'events:source': OUTCOME_EVENT_SOURCE }, Null: { 'events:source': 'false' } },
  });
