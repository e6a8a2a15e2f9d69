import { LiveLines } from './live-lines';
import { progressOn } from './progress';
import { formatRecords, formatTable } from './table';

describe('the terminal table', () => {
  it('aligns columns under their headings, numbers to the right, with a rule under the heading', () => {
    expect(
      formatTable(
        ['service', 'batches', 'failed'],
        [
          ['intake', 3, 0],
          ['ec2-isolation', 12, 1],
        ],
      ),
    ).toEqual([
      'service        batches  failed',
      '-------------  -------  ------',
      'intake               3       0',
      'ec2-isolation       12       1',
    ]);
  });

  it('indents every line when asked, and shows an empty table as its heading only', () => {
    expect(formatTable(['a', 'b'], [], { indent: 2 })).toEqual(['  a  b', '  -  -']);
  });
});

describe('the live lines', () => {
  it('off a terminal: one line per change, nothing when only the time moved', () => {
    const written: string[] = [];
    const live = new LiveLines((t) => written.push(t), false);
    live.show([{ key: 'a', text: 'waiting a (0.1 s)', state: 'waiting' }]);
    live.show([{ key: 'a', text: 'waiting a (1.1 s)', state: 'waiting' }]);
    live.show([{ key: 'a', text: 'contained a (2.1 s)', state: 'contained' }]);
    live.done();
    expect(written).toEqual(['waiting a (0.1 s)\n', 'contained a (2.1 s)\n']);
  });

  it('on a terminal: rewrites its lines in place (cursor up, clear), and leaves the last ones on screen', () => {
    const written: string[] = [];
    const live = new LiveLines((t) => written.push(t), true);
    live.show([
      { key: 'a', text: 'waiting a', state: 'waiting' },
      { key: 'b', text: 'waiting b', state: 'waiting' },
    ]);
    live.show([
      { key: 'a', text: 'contained a', state: 'contained' },
      { key: 'b', text: 'waiting b', state: 'waiting' },
    ]);
    live.done();
    expect(written).toEqual(['\x1b[Jwaiting a\nwaiting b\n', '\x1b[2A\x1b[Jcontained a\nwaiting b\n']);
  });
});

describe('the progress of a long phase', () => {
  it('off a terminal: a line when the phase starts, one every 10 s, and one when it ends', async () => {
    jest.useFakeTimers();
    try {
      const written: string[] = [];
      let emails = 0;
      const progress = progressOn((t) => written.push(t), false);
      let finish: () => void = () => undefined;
      const phase = progress.during('containing', () => `${emails} audit emails`, new Promise<void>((resolve) => (finish = resolve)));
      await jest.advanceTimersByTimeAsync(4_000);
      emails = 3;
      await jest.advanceTimersByTimeAsync(7_000);
      emails = 9;
      finish();
      await phase;
      expect(written).toEqual([
        '  containing: 0 audit emails (0 s)\n',
        '  containing: 3 audit emails (10 s)\n',
        '  containing: 9 audit emails (11 s), done\n',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("says nothing when silent (--json), and passes the phase's failure on", async () => {
    const written: string[] = [];
    await expect(progressOn((t) => written.push(t), false, true).during('x', () => '', Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(written).toEqual([]);
  });
});

describe('named records as a table', () => {
  it('one row per name, one column per field', () => {
    expect(formatRecords({ intake: { bytes: 10, runs: 3 }, triggers: { bytes: 200, runs: 3 } })).toEqual([
      '          bytes  runs',
      '--------  -----  ----',
      'intake       10     3',
      'triggers    200     3',
    ]);
  });
});
