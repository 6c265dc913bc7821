// <taskwire-plugins>: the Plugins section of the Integrations tab (project
// admins; the tab is not shown to others). One row per plugin the operator
// installed: name, version, description, what it may do, its state here (ok;
// failing since when, with the last error; disabled), a switch that turns it on
// or off at once, and its settings as a form generated from its JSON Schema
// (./schema-form.ts). The server checks the settings: the problems of its 400
// show by their fields, the rest under the form. The tab does not follow the
// project's feed, so the list is read again after each change instead.
// Every name, description and error is a Lit text binding.

import { ApiError, RestClient, LitElement, css, html, nothing } from '../src/index.js';
import type { PluginView, ProjectPluginView, ProjectView } from '../src/index.js';
import { enc, states, when } from './common.js';
import { JSON_FIELD, fieldsOf, readFields, readJson, renderFields, renderJson, type Field } from './schema-form.js';
import { screenStyles } from './styles.js';

type Problems = Record<string, string>;

/**
 * A refusal by field: a detail at `settings.<name>` (or below it) goes by that field (by the JSON editor when
 * there is no form); the message, and details no field owns, go under the form (key '').
 */
function problemsOf(error: unknown, fields: Field[] | null): Problems {
  const problems: Problems = {};
  const add = (key: string, text: string) => (problems[key] = problems[key] ? `${problems[key]} ${text}` : text);
  for (const d of error instanceof ApiError ? error.details : []) {
    const path = d.path ?? '';
    const message = d.message ?? 'is not valid';
    const field = fields?.find((f) => path === `settings.${f.name}` || path.startsWith(`settings.${f.name}.`));
    if (field) add(field.name, message);
    else if (!fields && /^settings\b/.test(path)) add(JSON_FIELD, `${path.slice('settings.'.length) || 'the object'}: ${message}`);
    else add('', path ? `${path}: ${message}` : message);
  }
  problems[''] = [error instanceof Error ? error.message : 'Something went wrong.', problems['']].filter(Boolean).join(' ');
  return problems;
}

export class TaskwirePlugins extends LitElement {
  static override properties = {
    server: {},
    token: {},
    project: { attribute: false },
    ...states('plugins here problems said busy error'),
  };

  static override styles = [
    ...screenStyles,
    css`
      .plugin {
        border-top: 1px solid var(--_border);
        padding: 10px 0;
      }
      h3 {
        margin: 0;
        font-size: 14px;
      }
      .version,
      .hint {
        color: var(--_muted);
        font-weight: 400;
      }
      .row {
        flex-wrap: wrap;
      }
      .description {
        margin: 4px 0;
      }
      .field {
        display: grid;
        gap: 2px;
        margin: 8px 0;
        max-width: 520px;
      }
      .field .hint {
        margin: 0;
      }
      .check {
        display: flex;
        gap: 6px;
        align-items: center;
      }
      input[type='checkbox'] {
        width: auto;
      }
      textarea {
        font: 12px monospace;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .error {
        padding: 6px 10px;
      }
      code {
        font: 12px monospace;
        overflow-wrap: anywhere;
      }
      .switch {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        width: auto;
        padding: 2px;
        border: 0;
        background: none;
        font-weight: 600;
        color: var(--_muted);
      }
      .switch .track {
        width: 36px;
        height: 20px;
        border-radius: 999px;
        background: var(--_control);
        position: relative;
        transition: background 0.15s;
      }
      .switch .track::after {
        content: '';
        position: absolute;
        top: 2px;
        left: 2px;
        width: 16px;
        height: 16px;
        border-radius: 50%;
        background: var(--_surface);
        transition: left 0.15s;
      }
      .switch[aria-checked='true'] {
        color: var(--_fg);
      }
      .switch[aria-checked='true'] .track {
        background: var(--_accent);
      }
      .switch[aria-checked='true'] .track::after {
        left: 18px;
      }
      .switch:focus-visible {
        outline: none;
        box-shadow: var(--_focus);
        border-radius: 999px;
      }
    `,
  ];

  server = '';
  token = '';
  project: ProjectView | null = null;
  /** Every installed plugin (GET /api/plugins), null until read. */
  plugins: PluginView[] | null = null;
  /** Each plugin in this project, by name. */
  here: Record<string, ProjectPluginView> = {};
  /** By plugin name: what its last save or switch was refused for (see problemsOf). */
  problems: Record<string, Problems> = {};
  /** By plugin name: what its last change did. */
  said: Record<string, string> = {};
  /** The plugin being changed. */
  busy: string | null = null;
  /** Why the list could not be read. */
  error = '';

  private loaded: string | null = null;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.token, userToken: null });
  }

  protected override willUpdate(): void {
    const id = this.project?.id ?? null;
    if (id === this.loaded) return;
    this.loaded = id;
    this.plugins = null;
    this.problems = {};
    this.said = {};
    if (id) void this.load();
  }

  private async load(): Promise<void> {
    const id = this.loaded!;
    try {
      const [plugins, here] = await Promise.all([this.rest.plugins(), this.rest.projectPlugins(id)]);
      if (id !== this.loaded) return;
      this.plugins = plugins;
      this.here = Object.fromEntries(here.map((p) => [p.name, p]));
      this.error = '';
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  override render() {
    const plugins = this.plugins;
    return html`<section class="panel plugins" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Plugins</h2>
      <p class="hint">Installed on this server by its operator; each project turns them on and sets them up here.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${plugins ? (plugins.length ? plugins.map((p, i) => this.renderPlugin(p, i)) : html`<p class="hint">No plugins are installed.</p>`) : this.error ? nothing : html`<p class="hint">Loading…</p>`}
    </section>`;
  }

  private renderPlugin(plugin: PluginView, index: number) {
    const state = this.here[plugin.name];
    const on = !!state?.enabled;
    const fields = fieldsOf(plugin.settingsSchema);
    const problems = this.problems[plugin.name] ?? {};
    const id = `plugin-${index}`;
    const said = html`<span class="said" role="status">${this.said[plugin.name]}</span>`;
    // Busy, the controls stay enabled (disabling the focused switch would drop the keyboard focus): put() ignores a second change.
    return html`<article class="plugin" data-plugin=${plugin.name} aria-labelledby="${id}-title" aria-busy=${this.busy === plugin.name ? 'true' : 'false'}>
        <div class="row">
          <h3 id="${id}-title"><span class="name">${plugin.name}</span> <span class="version">${plugin.version}</span></h3>
          ${this.renderState(state)}
          <span class="spacer"></span>
          <button type="button" class="switch" role="switch" aria-checked=${on ? 'true' : 'false'} aria-label="Use ${plugin.name} in this project" @click=${() => this.put(plugin, { enabled: !on })}>
            <span class="track"></span><span aria-hidden="true">${on ? 'On' : 'Off'}</span>
          </button>
        </div>
        ${plugin.description ? html`<p class="description">${plugin.description}</p>` : nothing}
        <p class="hint about">
          Permissions: ${plugin.permissions.join(', ') || 'none'}.
          ${plugin.events.length ? `Reacts to ${plugin.events.join(', ')}.` : ''}
          ${plugin.commands.length ? `Adds ${plugin.commands.map((c) => c.usage).join(', ')}.` : ''}
        </p>
        ${state?.status === 'failing' && state.lastError ? html`<p class="last-error">Last error: <code>${state.lastError}</code></p>` : nothing}
        ${fields?.length === 0
          ? html`<p class="row"><span class="hint">No settings.</span> ${said}</p>
              ${problems[''] ? html`<p class="error form-error" role="alert">${problems['']}</p>` : nothing}`
          : html`<form class="settings" novalidate @submit=${(e: Event) => this.save(e, plugin, fields)}>
              ${fields ? renderFields(fields, state?.settings ?? null, problems, id) : renderJson(state?.settings ?? null, problems[JSON_FIELD], `${id}-json`)}
              ${problems[''] ? html`<p class="error form-error" role="alert">${problems['']}</p>` : nothing}
              <p class="row">
                <button class="btn primary save">Save settings</button>
                ${said}
              </p>
            </form>`}
    </article>`;
  }

  private renderState(state: ProjectPluginView | undefined) {
    const status = state?.status ?? 'disabled';
    const [tone, text] = status === 'ok' ? ['good', 'ok'] : status === 'failing' ? ['warn', `failing since ${when(state?.failingSince)}`] : ['', 'disabled'];
    return html`<span class="pill ${tone} state" data-status=${status}>${text}</span>`;
  }

  private save(e: Event, plugin: PluginView, fields: Field[] | null): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const stored = this.here[plugin.name]?.settings ?? null;
    let settings: Record<string, unknown>;
    if (fields) {
      const read = readFields(fields, form, stored);
      if (Object.keys(read.problems).length) return void (this.problems = { ...this.problems, [plugin.name]: read.problems });
      settings = read.settings;
    } else {
      try {
        settings = readJson(form);
      } catch (error) {
        return void (this.problems = { ...this.problems, [plugin.name]: { [JSON_FIELD]: (error as Error).message } });
      }
    }
    void this.put(plugin, { enabled: !!this.here[plugin.name]?.enabled, settings }, fields);
  }

  /** Sends the change, then reads the list again (another admin may have changed other plugins meanwhile). */
  private async put(plugin: PluginView, body: { enabled: boolean; settings?: Record<string, unknown> }, fields: Field[] | null = null): Promise<void> {
    const name = plugin.name;
    if (this.busy) return;
    this.busy = name;
    this.problems = { ...this.problems, [name]: {} };
    this.said = { ...this.said, [name]: 'Saving…' };
    try {
      const view = await this.rest.request<ProjectPluginView>('PUT', `/api/projects/${enc(this.loaded!)}/plugins/${enc(name)}`, body);
      this.here = { ...this.here, [name]: view };
      this.said = { ...this.said, [name]: body.settings ? 'Settings saved.' : view.enabled ? 'Turned on.' : 'Turned off.' };
      await this.load();
    } catch (error) {
      this.problems = { ...this.problems, [name]: problemsOf(error, fields) };
      this.said = { ...this.said, [name]: '' };
    } finally {
      this.busy = null;
    }
  }
}
