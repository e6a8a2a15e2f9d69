/** Human output by default; `--json` prints one JSON document on stdout and nothing else there. */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
    private readonly err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
  ) {}

  /** A line for people (suppressed in --json mode). */
  line(text = ''): void {
    if (!this.json) this.out(text);
  }

  /** Progress for long runs, on stderr so it never mixes with results. */
  progress(text: string): void {
    if (!this.json) this.err(text);
  }

  result(value: unknown, human: () => void): void {
    if (this.json) this.out(JSON.stringify(value, null, 2));
    else human();
  }

  error(text: string): void {
    if (this.json) this.out(JSON.stringify({ error: text }));
    else this.err(`error: ${text}`);
  }
}
