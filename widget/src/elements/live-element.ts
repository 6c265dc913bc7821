// The base of <taskwire-board> and <taskwire-chat>: the connection attributes
// (server, project, token, user-token) and the shared live controller for them.

import { LitElement, type PropertyValues } from 'lit';
import { LiveController } from '../live.js';
import { SCRIPT_ORIGIN } from '../origin.js';

export abstract class LiveElement extends LitElement {
  static override properties = {
    server: { type: String },
    project: { type: String },
    token: { type: String },
    userToken: { type: String, attribute: 'user-token' },
  };

  /** Base URL of the Taskwire server; defaults to the origin /widget.js came from. */
  server: string = SCRIPT_ORIGIN;
  /** Project id. */
  project = '';
  /** A user, API or embed token. */
  token = '';
  /** The host site's signed JWT for verified embeds (X-Taskwire-User / socket auth.userToken). */
  userToken = '';

  /** Public for the helpers an element delegates to (the board's editor and keyboard moves); not part of the element's API. */
  live: LiveController | null = null;
  private readonly onInput = () => this.live?.activity();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('pointerdown', this.onInput);
    this.addEventListener('keydown', this.onInput);
    if (this.hasUpdated) this.bind();
  }

  override disconnectedCallback(): void {
    this.removeEventListener('pointerdown', this.onInput);
    this.removeEventListener('keydown', this.onInput);
    // Detach first: the controller counts its connected hosts itself.
    this.live?.detach(this);
    this.live = null;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.live || changed.has('server') || changed.has('project') || changed.has('token') || changed.has('userToken')) this.bind();
  }

  private bind(): void {
    const next = this.project ? LiveController.for({ server: this.server || SCRIPT_ORIGIN, project: this.project, token: this.token || null, userToken: this.userToken || null }) : null;
    if (next === this.live) return;
    this.live?.detach(this);
    this.live = next;
    if (next) {
      next.attach(this);
      this.liveChanged(next);
    }
  }

  /** A new controller is in place (first bind or new attributes). */
  protected liveChanged(_live: LiveController): void {}
}
