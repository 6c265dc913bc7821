// Accessibility checks for the browser suites: axe-core run inside the page
// (it walks open shadow roots), and contrast ratios computed from the colours
// Chromium resolved (getComputedStyle, through the shadow roots, alpha
// composited over what is behind), the way WCAG 2 defines them.

import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  /** Where: each node's target (shadow paths joined with " >> "), and axe's summary for the first. */
  targets: string[];
  summary: string;
}

// In-page code is source text: the test runner's transpiler would add helpers (esbuild's __name) the page lacks.
const AXE_RUN = `async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact || 'unknown',
    help: v.help,
    targets: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : t)).join(' | ')),
    summary: (v.nodes[0] && v.nodes[0].failureSummary) || '',
  }));
}`;

/**
 * axe-core's violations on `page` (pages with a strict CSP need a context with `bypassCSP`), only those of
 * `impacts` (by default serious and critical).
 */
export async function axeViolations(page: Page, impacts: string[] = ['serious', 'critical']): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.addScriptTag({ path: AXE_PATH });
  const options = { resultTypes: ['violations'] };
  const found = (await page.evaluate(`(${AXE_RUN})(${JSON.stringify(options)})`)) as AxeFinding[];
  return found.filter((v) => impacts.includes(v.impact));
}

/** Readable lines for an assertion message. */
export const describeFindings = (findings: AxeFinding[]): string => findings.map((f) => `${f.impact} ${f.id} (${f.help}): ${f.targets.slice(0, 4).join(', ')}${f.targets.length > 4 ? ', …' : ''}\n  ${f.summary.replace(/\n/g, '\n  ')}`).join('\n');

export interface Contrast {
  /** The colours compared, as rgb(). */
  fg: string;
  bg: string;
  ratio: number;
}

// `kind`: text (its colour against what is behind it, its own background included), boundary (a control told apart
// from what surrounds it by its border or its fill: the better of the two against the background outside it), or
// fill (the element's background against what is outside it).
const CONTRAST = `(el, kind) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (colour) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = 'rgba(0, 0, 0, 0)';
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const chain = [];
  for (let n = el; n; n = n.parentElement || (n.parentNode && n.parentNode.host) || null) chain.push(n);
  const behind = (from) => chain.slice(from).reverse().reduce((bg, n) => over(rgba(getComputedStyle(n).backgroundColor), bg), [255, 255, 255, 1]);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const css = (c) => 'rgb(' + c.slice(0, 3).map(Math.round).join(' ') + ')';
  const style = getComputedStyle(el);
  if (kind === 'text') {
    const bg = behind(0);
    const fg = over(rgba(style.color), bg);
    return { fg: css(fg), bg: css(bg), ratio: ratio(fg, bg) };
  }
  const outside = behind(1);
  const fill = over(rgba(style.backgroundColor), outside);
  if (kind === 'fill') return { fg: css(fill), bg: css(outside), ratio: ratio(fill, outside) };
  const border = over(rgba(style.borderTopColor), outside);
  const width = parseFloat(style.borderTopWidth) || 0;
  const byBorder = width > 0 && style.borderTopStyle !== 'none' ? ratio(border, outside) : 0;
  const byFill = ratio(fill, outside);
  return byBorder >= byFill ? { fg: css(border), bg: css(outside), ratio: byBorder } : { fg: css(fill), bg: css(outside), ratio: byFill };
}`;

/** The WCAG contrast ratio of `target` (see CONTRAST's kinds), two decimals. */
export async function contrastOf(target: Locator, kind: 'text' | 'boundary' | 'fill' = 'text'): Promise<Contrast> {
  await target.page().evaluate(`globalThis.taskwireContrast ??= ${CONTRAST}`);
  const c = await target.evaluate((el, k) => (globalThis as unknown as { taskwireContrast(el: unknown, kind: string): Contrast }).taskwireContrast(el, k), kind);
  return { ...c, ratio: Math.floor(c.ratio * 100) / 100 };
}
