import { awsError } from './errors';
import { ServiceHandlers } from './context';
import { ec2Region } from './ec2';

const GROUP_TAG = 'aws:autoscaling:groupName';

/** The Auto Scaling calls ec2-isolation makes (and the fixture that puts an instance in a group). */
export const autoScalingHandlers: ServiceHandlers = {
  CreateAutoScalingGroup: ({ AutoScalingGroupName, InstanceId }, context) => {
    const region = ec2Region(context);
    region.autoScalingGroups.set(AutoScalingGroupName, {
      name: AutoScalingGroupName,
      instances: InstanceId ? [InstanceId] : [],
      desired: InstanceId ? 1 : 0,
    });
    if (InstanceId) region.instances.get(InstanceId)?.tags.set(GROUP_TAG, AutoScalingGroupName);
    return {};
  },
  DescribeAutoScalingInstances: ({ InstanceIds }, context) => {
    const groups = [...ec2Region(context).autoScalingGroups.values()];
    return {
      AutoScalingInstances: (InstanceIds as string[]).flatMap((id) =>
        groups
          .filter((g) => g.instances.includes(id))
          .map((g) => ({ InstanceId: id, AutoScalingGroupName: g.name, LifecycleState: 'InService', HealthStatus: 'HEALTHY' })),
      ),
    };
  },
  DescribeAutoScalingGroups: ({ AutoScalingGroupNames }, context) => ({
    AutoScalingGroups: [...ec2Region(context).autoScalingGroups.values()]
      .filter((g) => !AutoScalingGroupNames || AutoScalingGroupNames.includes(g.name))
      .map((g) => ({
        AutoScalingGroupName: g.name,
        DesiredCapacity: g.desired,
        Instances: g.instances.map((InstanceId) => ({ InstanceId })),
      })),
  }),
  DetachInstances: ({ AutoScalingGroupName, InstanceIds, ShouldDecrementDesiredCapacity }, context) => {
    const region = ec2Region(context);
    const group = region.autoScalingGroups.get(AutoScalingGroupName);
    if (!group) throw awsError('ValidationError', `AutoScalingGroup name not found - ${AutoScalingGroupName}`, 400);
    for (const id of InstanceIds as string[]) {
      if (!group.instances.includes(id))
        throw awsError('ValidationError', `The instance ${id} is not part of Auto Scaling group ${AutoScalingGroupName}.`, 400);
      group.instances = group.instances.filter((i) => i !== id);
      region.instances.get(id)?.tags.delete(GROUP_TAG);
      if (ShouldDecrementDesiredCapacity) group.desired -= 1;
    }
    return { Activities: [] };
  },
  AttachInstances: ({ AutoScalingGroupName, InstanceIds }, context) => {
    const region = ec2Region(context);
    const group = region.autoScalingGroups.get(AutoScalingGroupName);
    if (!group) throw awsError('ValidationError', `AutoScalingGroup name not found - ${AutoScalingGroupName}`, 400);
    for (const id of InstanceIds as string[]) {
      if (group.instances.includes(id)) continue;
      group.instances.push(id);
      region.instances.get(id)?.tags.set(GROUP_TAG, AutoScalingGroupName);
      // As in AWS: attaching an instance raises the desired capacity by one.
      group.desired += 1;
    }
    return {};
  },
};
