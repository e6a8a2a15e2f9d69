import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LockdownFunctionProps {
  readonly functionName: string;
  readonly roleName: string;
  /** Directory of the esbuild bundle (main.mjs and its chunks). */
  readonly bundle: string;
  readonly timeout: Duration;
  /**
   * Concurrency reserved for this function alone (config `reservedConcurrency`): another workload of
   * the account cannot starve it during an incident, and it cannot take more than this.
   */
  readonly reservedConcurrency: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly description: string;
}

/**
 * A lockdown function: nodejs22.x on arm64 from its esbuild bundle, its own role (named, so the
 * member role can trust it), its own log group, and nothing it does not need.
 */
export class LockdownFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: LockdownFunctionProps) {
    super(scope, id);
    const bundle = resolve(props.bundle);
    if (!existsSync(resolve(bundle, 'main.mjs')))
      throw new Error(`missing bundle ${bundle}/main.mjs: build the functions first (npx nx run-many -t build, which npm run synth does)`);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: "Log streams are created at run time inside this function's own log group: the wildcard is the stream name only.",
          appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:\\*$/g' }],
        },
      ],
      true,
    );
    this.fn = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'main.handler',
      code: lambda.Code.fromAsset(bundle),
      memorySize: 512,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup,
      environment: { POWERTOOLS_METRICS_NAMESPACE: 'Lockdown', ...props.environment },
    });
    NagSuppressions.addResourceSuppressions(this.fn, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the runtime lockdown targets and tests (esbuild target node22); moving to a newer runtime is a deliberate, tested change.',
      },
    ]);
  }
}
