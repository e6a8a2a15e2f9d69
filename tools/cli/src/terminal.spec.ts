import { LiveLines } from './live-lines';
import { formatTable } from './table';

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
