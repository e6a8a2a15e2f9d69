/** One followed thing: a stable key, the line to show, and the state whose change is worth a line off a terminal. */
export interface LiveLine {
  key: string;
  text: string;
  state: string;
}

const UP = (lines: number) => (lines > 0 ? `\x1b[${lines}A` : '');
const CLEAR_BELOW = '\x1b[J';

/**
 * Lines that follow something changing (requests, a drill's phase). On a terminal they are
 * rewritten in place every time (the elapsed time moves); elsewhere (a pipe, a CI log) a line is
 * written only when its state changes, so logs stay short.
 */
export class LiveLines {
  private shown = 0;
  private readonly states = new Map<string, string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
  ) {}

  show(lines: LiveLine[]): void {
    if (this.terminal) {
      this.write(`${UP(this.shown)}${CLEAR_BELOW}${lines.map((l) => `${l.text}\n`).join('')}`);
      this.shown = lines.length;
      return;
    }
    for (const line of lines) {
      if (this.states.get(line.key) === line.state) continue;
      this.states.set(line.key, line.state);
      this.write(`${line.text}\n`);
    }
  }

  /** The lines stay as they are; what follows is written below them. */
  done(): void {
    this.shown = 0;
  }
}
