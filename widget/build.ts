// Builds the browser code with esbuild into .cache/widget/ (gitignored):
//   widget.js    one ES module with every element, lit and socket.io-client inside (GET /widget.js), which
//                host sites embed cross-origin from one <script>.
//   widget-chunks/task-editor-<hash>.js  the task editor, fetched by widget.js on first use, and
//   widget-chunks/chat-<hash>.js  <taskwire-chat>, defined when that chunk arrives (widget.js asks for it at
//                once when the page holds a <taskwire-chat> or the widget's panel opens, else when the browser
//                is idle). Both import lit and the widget's helpers from ../widget.js, so no chunk is shared
//                and widget.js stays one file.
//   app.js       the app page's entry; it imports the elements from /widget.js (GET /app.js)
//   app-chunks/  what app.js loads with import(): screens few people open, and code they share with
//                the entry. Content-hashed names, so the server lets browsers keep them (GET /app-chunks/…).
// `npm run build:widget` runs it (after type-checking widget/); tests call buildWidget() directly.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, transform, type Metafile, type Plugin } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WIDGET_OUT_DIR = join(ROOT, '.cache', 'widget');
/** The app's chunks, in WIDGET_OUT_DIR and under this path on the server. */
export const APP_CHUNKS = 'app-chunks';
/** What widget.js loads with import() (named in it at build time as TASK_EDITOR_CHUNK and CHAT_CHUNK), in WIDGET_OUT_DIR and under this path on the server. */
export const WIDGET_CHUNKS = 'widget-chunks';
/** The gzipped size /widget.js and the chunks it imports statically must stay under together. */
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
  /** What an embedding page loads before the widget runs: widget.js and the chunks it imports statically. */
  widgetFirstLoad: string[];
  /** Their gzip sizes added up: what WIDGET_BUDGET_GZIP bounds. */
  widgetFirstLoadGzip: number;
}

/** The app page imports the elements from the widget's entry; at run time that is the /widget.js the page already loaded. */
const widgetAsExternal: Plugin = {
  name: 'widget-external',
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: '/widget.js', external: true }));
  },
};

/** In the widget's chunks: lit and the widget's own shared modules are widget.js's exports, one folder up. */
const importsFromWidget: Plugin = {
  name: 'imports-from-widget',
  setup(b) {
    b.onResolve({ filter: /^lit$|^lit\/directives\/repeat\.js$|[\\/](events|format|rest|types|live|live-element|status|styles|limits)\.js$/ }, () => ({ path: '../widget.js', external: true }));
  },
};

/** Every name a chunk imports from ../widget.js must be one widget.js exports (else the chunk fails to load). */
function checkChunkImports(chunk: string, exported: string[]): void {
  const code = readFileSync(chunk, 'utf8');
  for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\.\/widget\.js"/g)) {
    for (const spec of m[1]!.split(',')) {
      const name = spec.trim().split(/\s+as\s+/)[0]!;
      if (name && !exported.includes(name)) throw new Error(`${basename(chunk)} imports ${name} from widget.js, which does not export it: add it to widget/src/index.ts`);
    }
  }
}

/**
 * Taskwire's socket.io server offers no WebTransport, so engine.io-client never picks its transport for it: an
 * empty class stands in, and the transport's code stays out of /widget.js.
 */
const withoutWebTransport: Plugin = {
  name: 'without-webtransport',
  setup(b) {
    b.onResolve({ filter: /[\\/]webtransport\.js$/ }, (args) => (/[\\/]engine\.io-client[\\/]/.test(args.importer) ? { path: 'webtransport', namespace: 'no-webtransport' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-webtransport' }, () => ({ contents: 'export class WT {}', loader: 'js' }));
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
  // The task editor, which few visitors open, and the chat, which no board needs for its first paint, are files
  // of their own that widget.js fetches. They take lit and the widget's helpers from widget.js itself (not from a
  // chunk they share), so widget.js stays one file.
  const editorBuild = await build({
    ...common,
    absWorkingDir: ROOT,
    entryPoints: { 'task-editor': join(ROOT, 'widget/src/elements/task-editor.ts'), chat: join(ROOT, 'widget/src/elements/chat-entry.ts') },
    outdir: join(WIDGET_OUT_DIR, WIDGET_CHUNKS),
    entryNames: '[name]-[hash]',
    metafile: true,
    plugins: [importsFromWidget, minifyTemplates],
  });
  const widgetChunks = pruneChunks(editorBuild.metafile, WIDGET_CHUNKS);
  const chunkNamed = (name: string) => relative(WIDGET_OUT_DIR, widgetChunks.find((file) => basename(file).startsWith(`${name}-`))!);
  const widgetBuild = await build({
    ...common,
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'widget/src/index.ts')],
    outfile: join(WIDGET_OUT_DIR, 'widget.js'),
    define: { ...common.define, TASK_EDITOR_CHUNK: JSON.stringify(chunkNamed('task-editor')), CHAT_CHUNK: JSON.stringify(chunkNamed('chat')) },
    metafile: true,
    plugins: [withoutWebTransport, minifyTemplates],
  });
  const widgetExports = Object.values(widgetBuild.metafile.outputs)[0]!.exports;
  for (const chunk of widgetChunks) checkChunkImports(chunk, widgetExports);
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
  const chunks = pruneChunks(app.metafile, APP_CHUNKS);
  const sizes = [join(WIDGET_OUT_DIR, 'widget.js'), join(WIDGET_OUT_DIR, 'app.js'), ...widgetChunks, ...chunks].map(measure);
  const appFirstLoad = staticClosure(app.metafile, join(WIDGET_OUT_DIR, 'app.js'));
  const widgetFirstLoad = staticClosure(widgetBuild.metafile, join(WIDGET_OUT_DIR, 'widget.js'));
  const widgetFirstLoadGzip = sizes.filter((s) => widgetFirstLoad.includes(s.file)).reduce((sum, s) => sum + s.gzip, 0);
  if (!options.quiet) {
    for (const s of sizes) {
      process.stdout.write(`${s.file.slice(ROOT.length + 1)}: ${kb(s.bytes)} minified, ${kb(s.gzip)} gzip, ${kb(s.brotli)} brotli\n`);
    }
    const first = sizes.filter((s) => appFirstLoad.includes(s.file)).reduce((sum, s) => sum + s.bytes, 0);
    process.stdout.write(`app first load (app.js and its static imports): ${kb(first)} minified\n`);
    process.stdout.write(`widget first load (widget.js and its static imports): ${kb(widgetFirstLoadGzip)} gzip\n`);
  }
  if (widgetFirstLoadGzip > WIDGET_BUDGET_GZIP) {
    throw new Error(`widget.js and its static imports are ${widgetFirstLoadGzip} bytes gzipped, over the ${WIDGET_BUDGET_GZIP} byte budget`);
  }
  writeFileSync(join(WIDGET_OUT_DIR, 'sizes.json'), `${JSON.stringify(sizes.map(({ file, ...rest }) => ({ file: file.slice(ROOT.length + 1), ...rest })), null, 2)}\n`);
  return { outDir: WIDGET_OUT_DIR, sizes, appFirstLoad, widgetFirstLoad, widgetFirstLoadGzip };
}

/**
 * Deletes the chunks an earlier build left in `folder` (their names carry an older hash), so it holds what this
 * build's entry can ask for; returns this build's chunks.
 */
function pruneChunks(metafile: Metafile, folder: string): string[] {
  const dir = join(WIDGET_OUT_DIR, folder);
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
