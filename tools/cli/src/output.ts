import { LiveLines } from './live-lines';
import { Progress, progressOn } from './progress';

/**
 * Human output by default; `--json` prints exactly one JSON document on stdout and nothing else
 * there: what a command reports (`result`, possibly in parts) and any `error` are merged into
 * one document, written by `flush` when the command ends.
 */
export class Output {
  private document: Record<string, unknown> | undefined;

  constructor(
    readonly json: boolean,
    private readonly out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
    private readonly err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
    /** Whether stderr is a terminal (live lines are rewritten in place there). */
    private readonly terminal = false,
  ) {}

  /** A line for people (suppressed in --json mode). */
  line(text = ''): void {
    if (!this.json) this.out(text);
  }

  /** Progress for long runs, on stderr so it never mixes with results. */
  progress(text: string): void {
    if (!this.json) this.err(text);
  }

  /** Lines that follow a changing state on stderr (none in --json mode): see LiveLines. */
  live(): LiveLines {
    return new LiveLines(this.json ? () => undefined : (t) => this.err(t.replace(/\n$/, '')), this.terminal);
  }

  /** Progress of a long run (phases with a live line), on stderr; silent in --json mode. */
  progressOf(): Progress {
    return progressOn((t) => this.err(t.replace(/\n$/, '')), this.terminal, this.json);
  }

  /** Part of the command's result: printed for people now, merged into the JSON document. */
  result(value: object, human: () => void): void {
    if (this.json) this.document = { ...this.document, ...value };
    else human();
  }

  error(text: string): void {
    if (this.json) this.document = { ...this.document, error: text };
    else this.err(`error: ${text}`);
  }

  /** Writes the JSON document (--json), once. */
  flush(): void {
    if (this.json && this.document) this.out(JSON.stringify(this.document, null, 2));
    this.document = undefined;
  }
}
