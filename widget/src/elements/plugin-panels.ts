// Plugin panels in the task editor: one section per plugin that brings a panel
// and is enabled in the task's project, holding the plugin's own custom element.
//
// The panel contract (plugin authors build on it; keep it stable). The module at
// the plugin's `panel.url` defines the element `panel.tag` itself when imported;
// the widget imports it once per page, creates one element per open editor, and
// sets these properties before inserting it and again whenever they change:
//
//   task       TaskView   the task as it is now, `fields[<plugin name>]` included; a new
//                         object each time the task changes (live changes too), so a
//                         Lit panel re-renders
//   projectId  string
//   userId     string | null   the current user (for an embed token: its guest or verified user)
//   readOnly   boolean    true when the caller cannot write tasks (viewers, viewer embed tokens)
//   nameOf     (userId: string) => string   a member's display name
//   request    (method: string, path: string, body?: unknown) => Promise<unknown>
//                         calls `${server}/api/plugins/${name}${path}` (path starting with "/")
//                         with the widget's credentials; JSON in and out; rejects with the
//                         widget's ApiError ({status, code, message, details}) on failure
//
// `projectId`, `nameOf` and `request` stay the same for the element's life. The
// element sits inside the editor's <form>: it should render into its own shadow
// root (a LitElement does), or its buttons would submit the task's form.
//
// If the server has no plugin routes (an older one), a list cannot be read, or a
// module fails to load, the editor shows no panel for it, and no error.

import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { LiveController } from '../live.js';
import { canWrite, type PluginView, type TaskView } from '../types.js';

type Panel = NonNullable<PluginView['panel']> & { name: string };

/** Per page, by module URL: two boards (or a widget and a board) import a panel once. */
const modules = new Map<string, Promise<unknown>>();

export class PluginPanels {
  /** GET /api/plugins by server: what a server offers does not change while the element lives. Failures are kept too. */
  private readonly catalogues = new Map<string, Promise<PluginView[]>>();
  /** By server and project: the panels to show, once their modules are defined. */
  private readonly loads = new Map<string, Promise<Panel[]>>();
  private readonly ready = new Map<string, Panel[]>();
  /** The open editor's elements, by plugin name. */
  private elements = new Map<string, HTMLElement>();

  constructor(private readonly host: ReactiveControllerHost) {}

  /** A new editor: new elements, so no panel carries state from another task. */
  reset(): void {
    this.elements = new Map();
  }

  /** A plugin was enabled, disabled or configured in this project: read its list again (the shown panels stay until then). */
  refresh(live: LiveController): void {
    const key = keyOf(live);
    if (this.loads.delete(key)) void this.load(live, key);
  }

  render(live: LiveController, task: TaskView): TemplateResult[] {
    const key = keyOf(live);
    if (!this.loads.has(key)) void this.load(live, key);
    return (this.ready.get(key) ?? []).map(
      (panel) => html`<section class="plugin" part="plugin-panel" data-plugin=${panel.name}><h4>${panel.title}</h4>${this.element(live, panel, task)}</section>`,
    );
  }

  private async load(live: LiveController, key: string): Promise<void> {
    const rest = live.rest;
    let catalogue = this.catalogues.get(rest.server);
    if (!catalogue) this.catalogues.set(rest.server, (catalogue = rest.plugins().catch(() => [])));
    const loading = (async () => {
      try {
        const [plugins, enabled] = await Promise.all([catalogue, rest.projectPlugins(live.projectId)]);
        const on = new Set(enabled.filter((p) => p.enabled).map((p) => p.name));
        const panels = await Promise.all(plugins.filter((p) => p.panel && on.has(p.name)).map((p) => define({ ...p.panel!, name: p.name }, rest.server)));
        return panels.filter((p): p is Panel => !!p);
      } catch {
        return [];
      }
    })();
    this.loads.set(key, loading);
    const panels = await loading;
    // A refresh may have started meanwhile: the newer list wins.
    if (this.loads.get(key) !== loading) return;
    this.ready.set(key, panels);
    this.host.requestUpdate();
  }

  private element(live: LiveController, panel: Panel, task: TaskView): HTMLElement {
    let element = this.elements.get(panel.name);
    if (!element) {
      element = document.createElement(panel.tag);
      const path = `/api/plugins/${encodeURIComponent(panel.name)}`;
      Object.assign(element, {
        projectId: live.projectId,
        nameOf: (userId: string) => live.store.nameOf(userId),
        request: (method: string, sub: string, body?: unknown) => live.rest.request<unknown>(method, path + sub, body),
      });
      this.elements.set(panel.name, element);
    }
    const target = element as unknown as Record<string, unknown>;
    const props = { task: live.store.tasks.get(task.id) ?? task, userId: live.me?.id ?? null, readOnly: !canWrite(live.store.role) };
    // Only what changed: a panel that is not a Lit element may re-render on every set.
    for (const [name, value] of Object.entries(props)) if (target[name] !== value) target[name] = value;
    return element;
  }
}

const keyOf = (live: LiveController): string => `${live.rest.server} ${live.projectId}`;

/**
 * Imports a panel's module (once per page) and answers the panel if its element got defined. Only
 * modules from the server itself: a plugin cannot make the widget run code from elsewhere.
 */
async function define(panel: Panel, server: string): Promise<Panel | null> {
  // As RestClient builds its URLs: a path goes under the server's base, which may have a path itself.
  const url = new URL(panel.url.startsWith('/') && !panel.url.startsWith('//') ? server + panel.url : panel.url, `${server}/`);
  if (url.origin !== new URL(server).origin) return null;
  let loading = modules.get(url.href);
  if (!loading) modules.set(url.href, (loading = import(url.href)));
  try {
    await loading;
  } catch (error) {
    console.warn(`Taskwire: the panel of plugin ${panel.name} did not load`, error);
    return null;
  }
  return customElements.get(panel.tag) ? panel : null;
}
