import { awsError } from './errors';
import { CallContext, ServiceHandlers, newId } from './context';
import { AccountState, EventSourceMappingState, FunctionState } from './state';

/** Accepts a function name, a full ARN or a partial ARN, with or without a qualifier. */
function fn(account: AccountState, region: string, nameOrArn: string): FunctionState {
  const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6]! : nameOrArn.split(':')[0]!;
  const found = account.functions.get(`${region}/${name}`);
  if (!found)
    throw awsError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${region}:${account.id}:function:${name}`, 404);
  return found;
}

const configuration = (f: FunctionState) => ({
  FunctionName: f.name,
  FunctionArn: f.arn,
  Role: f.role,
  Runtime: 'nodejs22.x',
  State: 'Active',
  LastUpdateStatus: 'Successful',
});

const mappingArn = (account: AccountState, m: EventSourceMappingState) =>
  `arn:${account.partition}:lambda:${m.region}:${account.id}:event-source-mapping:${m.uuid}`;

/** A taggable resource: a function (name or ARN), or an event source mapping (its ARN). */
function taggable(account: AccountState, region: string, arn: string): { tags?: Map<string, string> } {
  const mapping = /:event-source-mapping:([\w-]+)$/.exec(arn);
  if (!mapping) return fn(account, region, arn);
  const found = account.eventSourceMappings.get(mapping[1]!);
  if (!found) throw awsError('ResourceNotFoundException', `Event source mapping not found: ${arn}`, 404);
  return found;
}

const mappingShape = (account: AccountState, m: EventSourceMappingState, state: string = m.state) => ({
  UUID: m.uuid,
  EventSourceMappingArn: mappingArn(account, m),
  FunctionArn: m.functionArn,
  EventSourceArn: m.eventSourceArn,
  State: state,
});

export const lambdaHandlers: ServiceHandlers = {
  CreateFunction: ({ FunctionName, Role }, { account, region }: CallContext) => {
    const f: FunctionState = {
      name: FunctionName,
      region,
      role: Role,
      arn: `arn:${account.partition}:lambda:${region}:${account.id}:function:${FunctionName}`,
    };
    if (account.functions.has(`${region}/${FunctionName}`))
      throw awsError('ResourceConflictException', `Function already exist: ${FunctionName}`, 409);
    account.functions.set(`${region}/${FunctionName}`, f);
    return configuration(f);
  },
  GetFunction: ({ FunctionName }, { account, region }) => {
    const f = fn(account, region, FunctionName);
    return {
      Configuration: configuration(f),
      ...(f.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: f.reservedConcurrency } } : {}),
    };
  },
  ListTags: ({ Resource }, { account, region }) => ({ Tags: Object.fromEntries(taggable(account, region, Resource).tags ?? new Map()) }),
  TagResource: ({ Resource, Tags }, { account, region }) => {
    const f = taggable(account, region, Resource);
    f.tags ??= new Map();
    for (const [key, value] of Object.entries(Tags as Record<string, string>)) f.tags.set(key, value);
    return {};
  },
  UntagResource: ({ Resource, TagKeys }, { account, region }) => {
    const f = taggable(account, region, Resource);
    for (const key of TagKeys as string[]) f.tags?.delete(key);
    return {};
  },
  GetFunctionConfiguration: ({ FunctionName }, { account, region }) => configuration(fn(account, region, FunctionName)),
  GetFunctionConcurrency: ({ FunctionName }, { account, region }) => {
    const f = fn(account, region, FunctionName);
    return f.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: f.reservedConcurrency } : {};
  },
  PutFunctionConcurrency: ({ FunctionName, ReservedConcurrentExecutions }, { account, region }) => {
    if (FunctionName.split(':').length > 1 && !FunctionName.startsWith('arn:'))
      throw awsError('InvalidParameterValueException', 'Concurrency cannot be set on a qualified function', 400);
    fn(account, region, FunctionName).reservedConcurrency = ReservedConcurrentExecutions;
    return { ReservedConcurrentExecutions };
  },
  DeleteFunction: ({ FunctionName }, { account, region }) => {
    const f = fn(account, region, FunctionName);
    account.functions.delete(`${region}/${f.name}`);
    return {};
  },
  // A function URL (the adversarial drill's attacker makes a public one: AuthType NONE).
  CreateFunctionUrlConfig: ({ FunctionName, AuthType }, { account, region, now }) => {
    const f = fn(account, region, FunctionName);
    if (f.url)
      throw awsError(
        'ResourceConflictException',
        `Failed to create function url config for [functionArn = ${f.arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
        409,
      );
    if (AuthType !== 'NONE' && AuthType !== 'AWS_IAM')
      throw awsError(
        'ValidationException',
        `1 validation error detected: Value '${AuthType}' at 'authType' failed to satisfy constraint`,
        400,
      );
    f.url = { authType: AuthType, url: `https://${newId('', 32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.lambda-url.${region}.on.aws/` };
    return { FunctionUrl: f.url.url, FunctionArn: f.arn, AuthType, CreationTime: now.toISOString() };
  },
  DeleteFunctionConcurrency: ({ FunctionName }, { account, region }) => {
    delete fn(account, region, FunctionName).reservedConcurrency;
    return {};
  },
  CreateEventSourceMapping: ({ FunctionName, EventSourceArn, Enabled = true }, { account, region }) => {
    const f = fn(account, region, FunctionName);
    if (/^arn:[\w-]+:sqs:/.test(EventSourceArn ?? '') && !account.queues.has(EventSourceArn))
      throw awsError(
        'InvalidParameterValueException',
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. Error Message: The specified queue does not exist.',
        400,
      );
    const mapping: EventSourceMappingState = {
      uuid: newId('', 32, '0123456789abcdef').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      functionArn: f.arn,
      eventSourceArn: EventSourceArn,
      state: Enabled ? ('Enabled' as const) : ('Disabled' as const),
      region,
    };
    account.eventSourceMappings.set(mapping.uuid, mapping);
    return mappingShape(account, mapping, Enabled ? 'Creating' : 'Disabled');
  },
  ListEventSourceMappings: ({ FunctionName }, { account, region }) => {
    const f = fn(account, region, FunctionName);
    return {
      EventSourceMappings: [...account.eventSourceMappings.values()]
        .filter((m) => m.functionArn === f.arn)
        .map((m) => mappingShape(account, m)),
    };
  },
  GetEventSourceMapping: ({ UUID }, { account }) => {
    const mapping = account.eventSourceMappings.get(UUID);
    if (!mapping) throw awsError('ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda) ${UUID}`, 404);
    return mappingShape(account, mapping);
  },
  UpdateEventSourceMapping: ({ UUID, Enabled }, { account }) => {
    const mapping = account.eventSourceMappings.get(UUID);
    if (!mapping) throw awsError('ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda) ${UUID}`, 404);
    if (Enabled === undefined) return mappingShape(account, mapping);
    mapping.state = Enabled ? 'Enabled' : 'Disabled';
    // Lambda answers with the transitional state; the mapping settles a moment later.
    return mappingShape(account, mapping, Enabled ? 'Enabling' : 'Disabling');
  },
};
