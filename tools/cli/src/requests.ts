import { readFileSync } from 'node:fs';
import { ArnRejection, EntityRef, parseEntityArn } from '@lockdown/contracts';
import { CliError, EXIT } from './errors';

/** Reads ARNs from arguments, a file, or standard input (`-`): one per line, `#` comments allowed. */
export function collectArns(args: string[], file?: string, stdin: () => string = () => readFileSync(0, 'utf8')): string[] {
  const fromFile = file === undefined ? [] : (file === '-' ? stdin() : readArnFile(file)).split(/\r?\n/);
  return [...args, ...fromFile].map((line) => line.replace(/#.*$/, '').trim()).filter((line) => line.length > 0);
}

/** A file of ARNs; one that cannot be read is invalid input (exit 2, nothing sent), said plainly. */
function readArnFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (error as Error).message;
    throw new CliError(`cannot read --file ${path}: ${why}; nothing was sent`, EXIT.invalidInput);
  }
}

/**
 * Validates every ARN with the intake's own parser before anything is sent: one bad ARN stops
 * the whole command, so a typo in a mass containment never half-runs.
 */
export function validateArns(arns: string[], account?: string, instanceRegion?: string): EntityRef[] {
  if (arns.length === 0) throw new CliError('no ARN given: pass ARNs as arguments, or --file <path> (- for stdin)', EXIT.invalidInput);
  const bad: Array<{ arn: string; error: ArnRejection }> = [];
  const entities: EntityRef[] = [];
  for (const arn of arns) {
    // An S3 ARN names no account: --account gives the owner of the buckets. An Identity Store user's names
    // neither account nor region: --account gives the Identity Center account, --instance-region its region.
    const identityStore = /^arn:[^:]*:identitystore:/.test(arn);
    const parsed = parseEntityArn(arn, {
      ...(account !== undefined && (identityStore || /^arn:[^:]*:s3:/.test(arn)) ? { accountId: account } : {}),
      ...(instanceRegion !== undefined && identityStore ? { region: instanceRegion } : {}),
    });
    if (parsed.ok) entities.push(parsed.entity);
    else if (parsed.error.code === 'account-required')
      bad.push({
        arn,
        error: {
          ...parsed.error,
          message: identityStore
            ? 'an Identity Store user ARN names no account: give the Identity Center account with --account <id>'
            : 'an S3 ARN names no account: give the bucket owner with --account <id>',
        },
      });
    else if (parsed.error.code === 'region-required')
      bad.push({
        arn,
        error: {
          ...parsed.error,
          message: "an Identity Store user ARN names no region: give the Identity Center instance's with --instance-region <region>",
        },
      });
    else bad.push({ arn, error: parsed.error });
  }
  if (bad.length > 0)
    throw new CliError(
      `refused ${bad.length} invalid ARN(s); nothing was sent:\n${bad.map((b) => `  ${JSON.stringify(b.arn)}: ${b.error.message}`).join('\n')}`,
      EXIT.invalidInput,
    );
  return entities;
}

/** One ARN as an entity reference, refused as `validateArns` refuses it (which returns one entity per ARN or throws). */
export const validateArn = (arn: string, account?: string, instanceRegion?: string): EntityRef =>
  validateArns([arn], account, instanceRegion)[0]!;
