// Builds the browser code with esbuild into .cache/widget/ (gitignored):
//   widget.js    one ES module with every element, lit and socket.io-client inside (GET /widget.js).
//                Host sites embed it cross-origin from one <script>, so it is never split.
//   app.js       the app page's entry; it imports the elements from /widget.js (GET /app.js)
//   app-chunks/  what app.js loads with import(): screens few people open, and code they share with
//                the entry. Content-hashed names, so the server lets browsers keep them (GET /app-chunks/…).
// `npm run build:widget` runs it (after type-checking widget/); tests call buildWidget() directly.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, transform, type Metafile, type Plugin } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WIDGET_OUT_DIR = join(ROOT, '.cache', 'widget');
/** The app's chunks, in WIDGET_OUT_DIR and under this path on the server. */
export const APP_CHUNKS = 'app-chunks';
/** The gzipped size /widget.js must stay under. */
export const WIDGET_BUDGET_GZIP = 40 * 1024;

export interface BundleSize {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface WidgetBuild {
  outDir: string;
  /** widget.js, app.js, then each chunk of the app. */
  sizes: BundleSize[];
  /** What the app page runs before its first screen: app.js and the chunks it imports statically (paths as in `sizes`). */
  appFirstLoad: string[];
}

/** The app page imports the elements from the widget's entry; at run time that is the /widget.js the page already loaded. */
const widgetAsExternal: Plugin = {
  name: 'widget-external',
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: '/widget.js', external: true }));
  },
};

/**
 * esbuild leaves template literals alone. In our own sources, the static text of lit's html`` templates
 * has its whitespace runs with a newline collapsed to one space (the same to HTML: no <pre> or static
 * <textarea> text in them), and css`` templates without interpolations are minified as CSS.
 */
const minifyTemplates: Plugin = {
  name: 'minify-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]widget[\\/](src|app)[\\/].*\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const file = ts.createSourceFile(args.path, source, ts.ScriptTarget.Latest, true);
      const edits: { start: number; end: number; text: string }[] = [];
      const pending: Promise<void>[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag)) {
          const template = node.template;
          if (node.tag.text === 'css' && ts.isNoSubstitutionTemplateLiteral(template) && !template.getText().includes('\\')) {
            const start = template.getStart() + 1;
            const end = template.getEnd() - 1;
            // charset utf8: esbuild would escape non-ASCII as \XXXX, and a backslash in a tagged template
            // is an invalid escape (its cooked string, what css`` reads, is undefined). Kept as is if one appears anyway.
            pending.push(
              (async () => {
                const { code } = await transform(source.slice(start, end), { loader: 'css', minify: true, charset: 'utf8' });
                if (!code.includes('\\') && !code.includes('`') && !code.includes('${')) edits.push({ start, end, text: code.trim() });
              })(),
            );
          } else if (node.tag.text === 'html') {
            const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
            for (const part of parts) {
              const start = part.getStart() + 1;
              const end = part.getEnd() - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
              const text = source.slice(start, end);
              const collapsed = text.replace(/\s*\n\s*/g, ' ');
              if (collapsed !== text) edits.push({ start, end, text: collapsed });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      await Promise.all(pending);
      let contents = source;
      for (const edit of edits.sort((x, y) => y.start - x.start)) contents = contents.slice(0, edit.start) + edit.text + contents.slice(edit.end);
      return { contents, loader: 'ts' };
    });
  },
};

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

function measure(file: string): BundleSize {
  const content = readFileSync(file);
  return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length, brotli: brotliCompressSync(content).length };
}

export async function buildWidget(options: { quiet?: boolean } = {}): Promise<WidgetBuild> {
  mkdirSync(WIDGET_OUT_DIR, { recursive: true });
  const common = {
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    // socket.io-client's debug calls are compiled out in its browser build; this keeps NODE_ENV checks honest too.
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;
  await build({ ...common, entryPoints: [join(ROOT, 'widget/src/index.ts')], outfile: join(WIDGET_OUT_DIR, 'widget.js'), plugins: [minifyTemplates] });
  const app = await build({
    ...common,
    absWorkingDir: ROOT,
    entryPoints: { app: join(ROOT, 'widget/app/app.ts') },
    outdir: WIDGET_OUT_DIR,
    splitting: true,
    chunkNames: `${APP_CHUNKS}/[name]-[hash]`,
    metafile: true,
    plugins: [widgetAsExternal, minifyTemplates],
  });
  const chunks = pruneChunks(app.metafile);
  const sizes = [join(WIDGET_OUT_DIR, 'widget.js'), join(WIDGET_OUT_DIR, 'app.js'), ...chunks].map(measure);
  const widget = sizes[0]!;
  const appFirstLoad = staticClosure(app.metafile, join(WIDGET_OUT_DIR, 'app.js'));
  if (!options.quiet) {
    for (const s of sizes) {
      process.stdout.write(`${s.file.slice(ROOT.length + 1)}: ${kb(s.bytes)} minified, ${kb(s.gzip)} gzip, ${kb(s.brotli)} brotli\n`);
    }
    const first = sizes.filter((s) => appFirstLoad.includes(s.file)).reduce((sum, s) => sum + s.bytes, 0);
    process.stdout.write(`app first load (app.js and its static imports): ${kb(first)} minified\n`);
  }
  if (widget.gzip > WIDGET_BUDGET_GZIP) {
    throw new Error(`widget.js is ${widget.gzip} bytes gzipped, over the ${WIDGET_BUDGET_GZIP} byte budget`);
  }
  writeFileSync(join(WIDGET_OUT_DIR, 'sizes.json'), `${JSON.stringify(sizes.map(({ file, ...rest }) => ({ file: file.slice(ROOT.length + 1), ...rest })), null, 2)}\n`);
  return { outDir: WIDGET_OUT_DIR, sizes, appFirstLoad };
}

/**
 * Deletes the chunks an earlier build left (their names carry an older hash), so the folder holds what this
 * build's app.js can ask for; returns this build's chunks.
 */
function pruneChunks(metafile: Metafile): string[] {
  const dir = join(WIDGET_OUT_DIR, APP_CHUNKS);
  const built = Object.keys(metafile.outputs).map((file) => resolve(ROOT, file)).filter((file) => dirname(file) === dir && file.endsWith('.js'));
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (!built.includes(join(dir, name))) rmSync(join(dir, name), { force: true });
  }
  return built.sort();
}

/** `entry` and the outputs it imports statically, transitively (absolute paths). */
function staticClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[relative(ROOT, file)]?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(resolve(ROOT, i.path));
    }
  };
  visit(entry);
  return [...seen];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWidget().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
