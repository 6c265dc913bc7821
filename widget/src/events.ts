// The custom events the elements dispatch. All bubble and cross shadow roots
// (composed), so a host page can listen on the element or on document.

import type { MessageView, TaskView } from './types.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'resynced' | 'unauthorized' | 'error';

export interface TaskwireEventDetails {
  /** The live connection changed state; `lastSeq` is the last change applied. */
  'taskwire-connection': { state: ConnectionState; lastSeq: number; projectId: string };
  /** This user created a task. */
  'taskwire-task-created': { task: TaskView };
  /** This user edited a task. */
  'taskwire-task-updated': { task: TaskView };
  /** This user deleted a task. */
  'taskwire-task-deleted': { taskId: string };
  /** This user moved a task (drag and drop or keyboard), once the server accepted it. */
  'taskwire-task-moved': { task: TaskView; from: { status: string }; to: { status: string; afterId: string | null; beforeId: string | null } };
  /** A move was refused (someone else changed the task first, or no permission) and rolled back. */
  'taskwire-task-move-failed': { taskId: string; code: string; message: string };
  /** This user sent a chat message. */
  'taskwire-message-sent': { message: MessageView };
  /** The launcher panel opened or closed. */
  'taskwire-toggle': { open: boolean };
  /** Something failed that the element showed as a notice. */
  'taskwire-error': { code: string; message: string };
}

export type TaskwireEventName = keyof TaskwireEventDetails;
export type TaskwireEvent<K extends TaskwireEventName> = CustomEvent<TaskwireEventDetails[K]>;

declare global {
  interface HTMLElementEventMap {
    'taskwire-connection': TaskwireEvent<'taskwire-connection'>;
    'taskwire-task-created': TaskwireEvent<'taskwire-task-created'>;
    'taskwire-task-updated': TaskwireEvent<'taskwire-task-updated'>;
    'taskwire-task-deleted': TaskwireEvent<'taskwire-task-deleted'>;
    'taskwire-task-moved': TaskwireEvent<'taskwire-task-moved'>;
    'taskwire-task-move-failed': TaskwireEvent<'taskwire-task-move-failed'>;
    'taskwire-message-sent': TaskwireEvent<'taskwire-message-sent'>;
    'taskwire-toggle': TaskwireEvent<'taskwire-toggle'>;
    'taskwire-error': TaskwireEvent<'taskwire-error'>;
  }
}

export function emit<K extends TaskwireEventName>(target: EventTarget, name: K, detail: TaskwireEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
