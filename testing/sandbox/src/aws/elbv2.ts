import { awsError } from './errors';
import { CallContext, ServiceHandlers } from './context';
import { ec2Region } from './ec2';
import { TargetGroupState } from './ec2-state';

function targetGroup(context: CallContext, arn: string): TargetGroupState {
  const found = ec2Region(context).targetGroups.get(arn);
  if (!found) throw awsError('TargetGroupNotFound', `One or more target groups not found: ${arn}`, 400);
  return found;
}

type Target = { Id: string; Port?: number };
const same = (a: { id: string; port: number }, b: Target) => a.id === b.Id && a.port === (b.Port ?? 80);

/** The load-balancer calls ec2-isolation makes (target groups of type instance). */
export const elbv2Handlers: ServiceHandlers = {
  CreateTargetGroup: ({ Name }, context) => {
    const arn = `arn:${context.account.partition}:elasticloadbalancing:${context.region}:${context.account.id}:targetgroup/${Name}/${Math.random().toString(16).slice(2, 18)}`;
    ec2Region(context).targetGroups.set(arn, { arn, name: Name, targets: [] });
    return { TargetGroups: [{ TargetGroupArn: arn, TargetGroupName: Name, TargetType: 'instance' }] };
  },
  DescribeTargetGroups: (_input, context) => ({
    TargetGroups: [...ec2Region(context).targetGroups.values()].map((g) => ({
      TargetGroupArn: g.arn,
      TargetGroupName: g.name,
      TargetType: 'instance',
    })),
  }),
  DescribeTargetHealth: ({ TargetGroupArn }, context) => ({
    TargetHealthDescriptions: targetGroup(context, TargetGroupArn).targets.map((t) => ({
      Target: { Id: t.id, Port: t.port },
      TargetHealth: { State: 'healthy' },
    })),
  }),
  RegisterTargets: ({ TargetGroupArn, Targets }, context) => {
    const group = targetGroup(context, TargetGroupArn);
    for (const t of Targets as Target[]) if (!group.targets.some((x) => same(x, t))) group.targets.push({ id: t.Id, port: t.Port ?? 80 });
    return {};
  },
  DeregisterTargets: ({ TargetGroupArn, Targets }, context) => {
    const group = targetGroup(context, TargetGroupArn);
    group.targets = group.targets.filter((x) => !(Targets as Target[]).some((t) => same(x, t)));
    return {};
  },
};
