import type { LedgerRecord } from '@lockdown/containment';
import { renderIncidentHtml } from './incident-html';
import { renderIncidentMarkdown } from './incident-markdown';
import { buildIncidentReport } from './incident-model';

const SCRIPT = '<script>alert("owned")</script>';
const hostile = (): LedgerRecord => ({
  arn: `arn:aws:lambda:us-east-1:111111111111:function:x${SCRIPT}`,
  entityType: 'lambda-function',
  cycle: 1,
  status: 'contained',
  request: {
    requestId: 'req-"1"',
    requestedAt: '2026-12-06T10:00:00.000Z',
    reason: `${SCRIPT} see [the runbook](https://evil.example/) | forged cell`,
    requestedBy: '<img src=x onerror=alert(1)>',
  },
  original: { capturedAt: '2026-12-06T10:00:00.400Z', requestId: 'req-"1"', state: {} },
  steps: [
    {
      id: 'tag',
      kind: 'tag',
      description: `Tag function x${SCRIPT}`,
      stage: 0,
      params: {},
      original: { 'lockdown:containment': `</pre>${SCRIPT}` },
      calls: { apply: ['lambda:TagResource'], undo: ['lambda:UntagResource'] },
      status: 'applied',
      at: '2026-12-06T10:00:00.500Z',
    },
  ],
  timeline: [{ at: '2026-12-06T10:00:01.000Z', requestId: 'req-"1"', event: 'contained and verified' }],
  updatedAt: '2026-12-06T10:00:01.000Z',
});

describe('incident report renderers', () => {
  it('show every value an attacker controls as inert text in the HTML (entity name, reason, requester, original values)', () => {
    const html = renderIncidentHtml(buildIncidentReport([hostile()]));

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<\/pre><script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('data-step="tag"');
  });

  it('forbid any script and any fetch in the page itself (Content-Security-Policy), should an escape ever be missed', () => {
    const html = renderIncidentHtml(buildIncidentReport([hostile()]));

    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('show the same values as text in Markdown: no HTML, no link, no forged table cell', () => {
    const markdown = renderIncidentMarkdown(buildIncidentReport([hostile()]));

    expect(markdown).not.toMatch(/<script|<img/i);
    expect(markdown).not.toContain('](https://evil.example/)');
    expect(markdown).toContain('\\[the runbook\\]\\(https://evil\\.example/\\) \\| forged cell');
    const reasonRow = markdown.split('\n').find((line) => line.startsWith('| Reason |'))!;
    expect(reasonRow.split(/(?<!\\)\|/).length).toBe(4);
  });

  it('say "not recorded" for what the request did not record, rather than leaving a placeholder', () => {
    const record = hostile();
    delete record.request.requestedBy;

    const html = renderIncidentHtml(buildIncidentReport([record]));

    expect(html).toMatch(/Requested by<\/td><td><span class="muted">not recorded<\/span>/);
    expect(html).not.toMatch(/what the attacker left/i);
  });
});
