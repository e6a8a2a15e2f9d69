import { awsErrorCategory, awsErrorName } from '@lockdown/containment';
import { CHECKS } from './checks';
import { CheckLine, CheckName } from './outcome';
import { PreflightReads, PreflightSetup } from './reads';

/**
 * Runs the chosen checks one after the other (each a few reads). A read AWS refuses to these
 * credentials is a warning (cannot verify from here); any other error fails that check only.
 */
export async function runChecks(names: readonly CheckName[], setup: PreflightSetup, reads: PreflightReads): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  for (const name of names) {
    try {
      lines.push(...(await CHECKS[name](setup, reads)));
    } catch (error) {
      const said = `${awsErrorName(error) || 'Error'}: ${(error as Error).message}`;
      lines.push(
        awsErrorCategory(error) === 'access-denied'
          ? {
              check: name,
              outcome: 'warn',
              message: `cannot verify with these credentials (${setup.caller.arn}): ${said}`,
              fix: 'grant the read-only policy in README ("Before deploying: lockdown preflight"), or run it in the account that check names',
            }
          : { check: name, outcome: 'fail', message: `could not check: ${said}` },
      );
    }
  }
  return lines;
}
