import { EventPattern, matchesPattern } from './event-bus';

// The examples of AWS's EventBridge documentation ("Amazon EventBridge event patterns" and
// "Content filtering in Amazon EventBridge event patterns"): each event, pattern and result as
// the documentation gives them.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const fileEvent = { detail: { FileName: 'photo.png', 'c-count': 5, 'd-count': 3, state: 'running', location: null, Type: 'A' } };

describe('EventBridge pattern matching (AWS documentation examples)', () => {
  it.each<[string, EventPattern, unknown, boolean]>([
    ['source and detail-type match', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, ec2Event, true],
    ['a nested detail field matches one of its values', { detail: { state: ['stopped', 'terminated'] } }, ec2Event, true],
    ['a nested detail field with no matching value', { detail: { state: ['running'] } }, ec2Event, false],
    ['a field missing from the event does not match', { detail: { 'not-there': ['x'] } }, ec2Event, false],
    [
      'an array in the event matches when one element does',
      { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'x'] },
      ec2Event,
      true,
    ],
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, ec2Event, true],
    ['prefix that does not match', { time: [{ prefix: '2018' }] }, ec2Event, false],
    ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, fileEvent, true],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2Event, true],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, fileEvent, true],
    ['anything-but a list that holds the value', { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, fileEvent, false],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, fileEvent, true],
    ['numeric range (> 0, <= 5)', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, fileEvent, true],
    ['numeric range excludes the value', { detail: { 'd-count': [{ numeric: ['<', 3] }] } }, fileEvent, false],
    ['numeric equality', { detail: { 'd-count': [{ numeric: ['=', 3] }] } }, fileEvent, true],
    ['exists true on a present field', { detail: { 'c-count': [{ exists: true }] } }, fileEvent, true],
    ['exists false on a present field', { detail: { 'c-count': [{ exists: false }] } }, fileEvent, false],
    ['exists false on a missing field', { detail: { 'e-count': [{ exists: false }] } }, fileEvent, true],
    ['null matches a null value', { detail: { location: [null] } }, fileEvent, true],
    ['a string does not match a number', { detail: { 'c-count': ['5'] } }, fileEvent, false],
    ['every field must match (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, ec2Event, false],
    ['a matcher list is an OR of values and matchers', { detail: { Type: ['B', { prefix: 'A' }] } }, fileEvent, true],
  ])('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});
