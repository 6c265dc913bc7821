// What widget.js fetches beside itself (widget-chunks/, named at build time by
// widget/build.ts with their content's hash): the task editor on first use, and
// the chat, which no board needs for its first paint.

declare const TASK_EDITOR_CHUNK: string;
declare const CHAT_CHUNK: string;

const loading = new Map<string, Promise<unknown>>();

/** Imports a chunk once per page (a failed import may be tried again). */
function chunk<T>(name: string): Promise<T> {
  let pending = loading.get(name);
  if (!pending) {
    pending = import(new URL(name, import.meta.url).href);
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending as Promise<T>;
}

export const loadEditor = (): Promise<typeof import('./elements/task-editor.js')> => chunk(TASK_EDITOR_CHUNK);

/** Defines <taskwire-chat> (unless another copy of the widget did). */
export const loadChat = (): Promise<unknown> => (customElements.get('taskwire-chat') ? Promise.resolve() : chunk(CHAT_CHUNK));

/**
 * The chat comes at once when the page holds one, else once the browser is idle (a chat may be made later, in
 * a shadow root no observer sees: the app page's).
 */
export function scheduleChat(): void {
  if (document.querySelector('taskwire-chat')) return void loadChat().catch(() => undefined);
  const idle = (globalThis as { requestIdleCallback?: (run: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
  const run = () => void loadChat().catch(() => undefined);
  if (idle) idle(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
