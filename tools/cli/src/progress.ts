import { LiveLines } from './live-lines';

/** Progress of a long run (the drills, the bench), on stderr. */
export interface Progress {
  /** A line saying what starts now. */
  say(text: string): void;
  /**
   * Waits for a phase while a live line shows its status and elapsed time: rewritten every second
   * on a terminal, a new line every 10 s elsewhere (a CI log), and a last line when it ends.
   */
  during<T>(label: string, status: () => string, work: Promise<T>): Promise<T>;
}

const TICK_MS = 1000;
const LOG_EVERY_SECONDS = 10;

/** Progress written with `write` (raw text, newlines included); `silent` for --json. */
export function progressOn(write: (text: string) => void, terminal: boolean, silent = false): Progress {
  return {
    say: (text) => !silent && write(`${text}\n`),
    async during(label, status, work) {
      if (silent) return work;
      const started = Date.now();
      const live = new LiveLines(write, terminal);
      const show = (end = false) => {
        const seconds = Math.round((Date.now() - started) / 1000);
        const text = `  ${label}: ${status()} (${seconds} s)${end ? ', done' : ''}`;
        live.show([{ key: label, text, state: end ? 'done' : String(Math.floor(seconds / LOG_EVERY_SECONDS)) }]);
      };
      show();
      const timer = setInterval(show, TICK_MS);
      try {
        const result = await work;
        show(true);
        return result;
      } finally {
        clearInterval(timer);
        live.done();
      }
    },
  };
}

/** No progress at all (tests, --json). */
export const SILENT_PROGRESS: Progress = progressOn(() => undefined, false, true);
