import { OrgOptions, orgRun } from './org';

/**
 * One run of the organization bench in a process of its own (`benchOrg` forks one per
 * configuration): the sandbox patches the SDK's clients process-wide, and each run gets its own
 * event loop. Reads `{ options, fair }` from its parent, sends back progress lines and the run.
 */
process.once('message', ({ options, fair }: { options: OrgOptions; fair: boolean }) => {
  orgRun(options, fair, (text) => process.send!({ progress: text }))
    .then((run) => process.send!({ run }, () => process.exit(0)))
    .catch((error: Error) => process.send!({ error: error.stack ?? error.message }, () => process.exit(1)));
});
