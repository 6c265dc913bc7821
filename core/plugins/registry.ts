// The plugins of this process: the built-ins under plugins/ and the modules
// PLUGINS names, each imported in its own try/catch and checked before the
// server takes a request. Anything wrong stops the boot with a PluginLoadError.

import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDefinition, PluginLoadError, type LoadedPlugin } from './manifest.js';

export class PluginRegistry {
  private readonly byName = new Map<string, LoadedPlugin>();
  private readonly byCommand = new Map<string, LoadedPlugin>();

  constructor(plugins: readonly LoadedPlugin[]) {
    for (const plugin of plugins) {
      const same = this.byName.get(plugin.name);
      if (same) throw new PluginLoadError(`"${plugin.name}" (${plugin.source})`, `the name is already taken by the plugin from ${same.source}`);
      for (const command of plugin.commands.keys()) {
        const owner = this.byCommand.get(command);
        if (owner) throw new PluginLoadError(`"${plugin.name}" (${plugin.source})`, `the command "${command}" is already added by the plugin "${owner.name}"`);
        this.byCommand.set(command, plugin);
      }
      this.byName.set(plugin.name, plugin);
    }
  }

  /** In name order. */
  list(): LoadedPlugin[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): LoadedPlugin | null {
    return this.byName.get(name) ?? null;
  }

  /** The plugin adding `/task <command>`, if any. */
  commandOwner(command: string): LoadedPlugin | null {
    return this.byCommand.get(command.toLowerCase()) ?? null;
  }

  /** Plugins that react to changes. */
  listeners(): LoadedPlugin[] {
    return this.list().filter((p) => p.onChange !== null);
  }
}

export const BUILTIN_PLUGINS_DIR = new URL('../../plugins/', import.meta.url);

async function importPlugin(url: string, source: string): Promise<LoadedPlugin> {
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new PluginLoadError(`from ${source}`, `the module could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  return loadDefinition(module.default, url, source);
}

/** Each built-in is a folder with an index module (index.ts when run from source, index.js when compiled). */
function builtinEntries(dir: URL): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const found = ['index.js', 'index.ts'].map((file) => new URL(`${entry.name}/${file}`, dir)).find((url) => existsSync(url));
      return found ? [found.href] : [];
    });
}

/** A PLUGINS entry: a path (absolute, or starting with . relative to `cwd`) or a package name resolved from here. */
function entryUrl(entry: string, cwd: string): string {
  if (isAbsolute(entry) || entry.startsWith('.')) return pathToFileURL(resolve(cwd, entry)).href;
  return entry;
}

export interface LoadOptions {
  /** PLUGINS, split. */
  specifiers: readonly string[];
  /** Whether to load the built-ins (default yes). */
  builtins?: boolean;
  builtinsDir?: URL;
  cwd?: string;
}

export async function loadPlugins(options: LoadOptions): Promise<PluginRegistry> {
  const loaded: LoadedPlugin[] = [];
  if (options.builtins !== false) {
    for (const url of builtinEntries(options.builtinsDir ?? BUILTIN_PLUGINS_DIR)) loaded.push(await importPlugin(url, 'built-in'));
  }
  for (const entry of options.specifiers) loaded.push(await importPlugin(entryUrl(entry, options.cwd ?? process.cwd()), entry));
  return new PluginRegistry(loaded);
}
