// One look for every mail Taskwire sends: a greeting, a few lines, one action
// link, and a footer; a plain-text body and an HTML body with every piece of
// text escaped (names, titles and messages are user text).

export interface MailContent {
  greeting: string;
  lines: string[];
  action: { label: string; url: string };
  footer: string;
  footerLink?: { label: string; url: string };
}

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderMail(content: MailContent): { text: string; html: string } {
  const text = [
    content.greeting,
    '',
    ...content.lines,
    '',
    `${content.action.label}: ${content.action.url}`,
    '',
    '--',
    content.footerLink ? `${content.footer} ${content.footerLink.url}` : content.footer,
  ].join('\n');
  const paragraphs = content.lines.map((line) => `<p style="margin:0 0 8px">${escapeHtml(line)}</p>`).join('');
  const footerLink = content.footerLink ? ` <a href="${escapeHtml(content.footerLink.url)}">${escapeHtml(content.footerLink.label)}</a>` : '';
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
<p>${escapeHtml(content.greeting)}</p>
${paragraphs}
<p><a href="${escapeHtml(content.action.url)}">${escapeHtml(content.action.label)}</a></p>
<p style="color:#6b7280;font-size:12px">${escapeHtml(content.footer)}${footerLink}</p>
</body></html>`;
  return { text, html };
}
