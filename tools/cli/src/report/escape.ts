/**
 * Escapes text for HTML and inline SVG (element content and quoted attribute values). Every value a
 * report shows may come from an attacker (entity names, tags, reasons): nothing reaches the page
 * without passing here.
 */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * Escapes text for one line of Markdown (a table cell or a list item): HTML is shown as text, the
 * Markdown punctuation as itself (no link, image, emphasis or table cell an attacker could forge),
 * and line breaks become spaces.
 */
export const escapeMarkdown = (value: unknown): string =>
  String(value ?? '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1');
