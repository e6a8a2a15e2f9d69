import { AttachRolePolicyCommand, DetachRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { RoleInlinePolicies } from '@lockdown/aws';
import { isNotFound } from '@lockdown/containment';
import type { ObservedFunction } from '../domain/observed';

/** The Lambda and IAM calls lambda-lockdown makes, behind one small interface. */
export class FunctionApi {
  readonly rolePolicies: RoleInlinePolicies;

  constructor(
    readonly lambda: LambdaClient,
    readonly iam: IAMClient,
    readonly functionArn: string,
  ) {
    this.rolePolicies = new RoleInlinePolicies(iam);
  }

  /** Configuration and concurrency in parallel (GetFunction would also hand out a code download link). */
  async getFunction(): Promise<{ roleArn: string; reservedConcurrency: number | null }> {
    const [configuration, concurrency] = await Promise.all([
      this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: this.functionArn })),
      this.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: this.functionArn })),
    ]);
    return { roleArn: configuration.Role ?? '', reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null };
  }

  /** The name of the function's execution role (its credentials are sessions of it, named after the function). */
  async executionRole(): Promise<string> {
    const { Role } = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: this.functionArn }));
    if (!Role) throw new Error(`${this.functionArn} has no execution role`);
    return Role.slice(Role.lastIndexOf('/') + 1);
  }

  async listMappings(): Promise<ObservedFunction['eventSourceMappings']> {
    const mappings: ObservedFunction['eventSourceMappings'] = [];
    // A mapping's ARN is the function's with `event-source-mapping:<uuid>` in place of `function:<name>`.
    const arnOf = (uuid: string) => `${this.functionArn.split(':').slice(0, 5).join(':')}:event-source-mapping:${uuid}`;
    let Marker: string | undefined;
    do {
      const r = await this.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: this.functionArn, Marker }));
      mappings.push(
        ...(r.EventSourceMappings ?? []).map((m) => ({
          uuid: m.UUID ?? '',
          arn: m.EventSourceMappingArn ?? arnOf(m.UUID ?? ''),
          state: m.State ?? '',
        })),
      );
      Marker = r.NextMarker;
    } while (Marker);
    return mappings;
  }

  async listRolePolicies(RoleName: string): Promise<string[]> {
    const r = await this.iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
    return (r.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
  }

  async listTags(): Promise<Record<string, string>> {
    const { Tags = {} } = await this.lambda.send(new ListTagsCommand({ Resource: this.functionArn }));
    return Tags;
  }

  /** A mapping's tags, or null when it no longer exists. */
  async mappingTags(mappingArn: string): Promise<Record<string, string> | null> {
    try {
      return (await this.lambda.send(new ListTagsCommand({ Resource: mappingArn }))).Tags ?? {};
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  tag = (key: string, value: string) => this.tagResource(this.functionArn, key, value);
  untag = (key: string) => this.untagResource(this.functionArn, key);
  /** The function or one of its mappings (by ARN). */
  tagResource = async (Resource: string, key: string, value: string) =>
    void (await this.lambda.send(new TagResourceCommand({ Resource, Tags: { [key]: value } })));
  untagResource = async (Resource: string, key: string) =>
    void (await this.lambda.send(new UntagResourceCommand({ Resource, TagKeys: [key] })));
  attachRolePolicy = async (RoleName: string, PolicyArn: string) =>
    void (await this.iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn })));
  detachRolePolicy = async (RoleName: string, PolicyArn: string) =>
    void (await this.iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })));
  putConcurrency = async (value: number) =>
    void (await this.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: this.functionArn, ReservedConcurrentExecutions: value }),
    ));
  deleteConcurrency = async () => void (await this.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: this.functionArn })));
  setMappingEnabled = (UUID: string, Enabled: boolean) => this.lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled }));
  enableMapping = async (UUID: string) => void (await this.setMappingEnabled(UUID, true));
}
