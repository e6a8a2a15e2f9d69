import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** IAM action prefixes of the SDK packages lockdown uses. */
const PREFIX: Record<string, string> = {
  'client-iam': 'iam',
  'client-ec2': 'ec2',
  'client-lambda': 'lambda',
  'client-sns': 'sns',
  'client-sqs': 'sqs',
  'client-sts': 'sts',
  'client-secrets-manager': 'secretsmanager',
  'lib-dynamodb': 'dynamodb',
  'client-auto-scaling': 'autoscaling',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-s3': 's3',
  'client-eventbridge': 'events',
  'client-securityhub': 'securityhub',
  'client-cloudtrail': 'cloudtrail',
};
/**
 * S3 API operations whose IAM action has another name (S3 API reference, "Permissions" of each
 * operation): a Delete of a bucket configuration needs the Put permission.
 */
const S3_ACTIONS: Record<string, string> = {
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeleteBucketOwnershipControls: 'PutBucketOwnershipControls',
  DeleteBucketTagging: 'PutBucketTagging',
};
/** SNS API operations whose IAM action has another name (PublishBatch is authorized as sns:Publish). */
const SNS_ACTIONS: Record<string, string> = { PublishBatch: 'Publish' };
/** lib-dynamodb's document commands and the DynamoDB actions they call. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * The IAM actions a project's code calls: every `new XCommand(` whose class is imported from an
 * AWS SDK package (in a project's src, or in one file), read from the source itself (so a new call without a permission, or a
 * permission without a call, fails the infrastructure tests).
 */
export function actionsCalledBy(...projectDirsOrFiles: string[]): Set<string> {
  const actions = new Set<string>();
  for (const file of projectDirsOrFiles.flatMap((p) => (p.endsWith('.ts') ? [join(ROOT, p)] : sources(join(ROOT, p, 'src'))))) {
    const text = readFileSync(file, 'utf8');
    const imported = new Map<string, string>();
    for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g))
      for (const name of match[1]!
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean))
        imported.set(name, match[2]!);
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const pkg = imported.get(`${match[1]}Command`);
      const prefix = pkg && PREFIX[pkg];
      if (!prefix) continue;
      const renamed: Record<string, Record<string, string>> = {
        'lib-dynamodb': DOCUMENT_COMMANDS,
        'client-s3': S3_ACTIONS,
        'client-sns': SNS_ACTIONS,
      };
      const action = renamed[pkg]?.[match[1]!];
      actions.add(`${prefix}:${action ?? match[1]}`);
    }
  }
  return actions;
}
