import { Command } from 'commander';
import { CliError, EXIT, awsConfigProblem, explain } from './errors';
import { Output } from './output';

/**
 * What every command of the workspace shares (`lockdown`, the drill's): `--json` known before
 * commander parses (a usage error is one JSON document too), one Output, a usage error in one
 * line with exit 2, an error a user can fix said as advice, and a quiet end when stdout closes.
 */
export function commandLine(name: string, description: string, version?: string) {
  const json = process.argv.slice(2).includes('--json');
  let shared: Output | undefined;
  const output = () => (shared ??= new Output(json, undefined, undefined, Boolean(process.stderr.isTTY)));

  const program = new Command(name).description(description);
  if (version) program.version(version, '-V, --version', 'print the version');
  program
    .option('--json', 'print one JSON document (for machines)')
    .configureHelp({ showGlobalOptions: true })
    // A usage error: one line (or one JSON document), and where the usage is, not all of it.
    .configureOutput({
      outputError: (text, write) => (json ? output().error(text.replace(/^error: /, '').trim()) : write(text)),
    })
    .exitOverride();

  // Output piped into a command that stops reading (`lockdown plan ... | head`): end quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });

  async function run(action: () => Promise<number>): Promise<void> {
    try {
      process.exitCode = await action();
    } catch (caught) {
      const error = awsConfigProblem(caught) ?? caught;
      output().error(error instanceof CliError ? error.message : explain(error));
      process.exitCode = error instanceof CliError ? error.exitCode : EXIT.failed;
    } finally {
      output().flush();
    }
  }

  const parse = () =>
    program.parseAsync(process.argv).catch((error: { code?: string; exitCode?: number }) => {
      // commander reports usage errors (and --help, --version) itself; usage errors exit 2.
      const shown = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version';
      if (!shown && !json) {
        const command = [program, ...program.commands].find((c) => process.argv.slice(2).includes(c.name()) && c !== program);
        process.stderr.write(`(${name} ${command ? `${command.name()} ` : ''}--help shows the usage)\n`);
      }
      output().flush();
      process.exitCode = shown ? EXIT.ok : EXIT.invalidInput;
    });

  return { program, output, run, parse };
}
