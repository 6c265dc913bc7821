// Shared shadow-DOM styles. Everything a host page may theme goes through the
// documented --taskwire-* custom properties (see widget/README.md); inside, the
// elements use the private --_* tokens: every colour of every element is one of
// them. Light by default; dark under prefers-color-scheme: dark unless the
// element says theme="light", or always with theme="dark" (<taskwire-widget>
// passes its theme on to its board and chat). A --taskwire-* property set by
// the host page wins in both themes.

import { css } from 'lit';

export const theme = css`
  :host {
    color-scheme: light;
    --_accent: var(--taskwire-accent, #4f46e5);
    --_accent-fg: var(--taskwire-accent-fg, #fff);
    --_bg: var(--taskwire-bg, #f5f6f8);
    --_surface: var(--taskwire-surface, #fff);
    --_fg: var(--taskwire-fg, #1d2330);
    --_muted: var(--taskwire-muted, #5d6679);
    --_border: var(--taskwire-border, #e2e5ea);
    --_danger: var(--taskwire-danger, #c92a2a);
    --_warning: var(--taskwire-warning, #9a4f06);
    --_success: var(--taskwire-success, #067647);
    --_shade: 16 24 40;
    --_control: var(--taskwire-control, color-mix(in srgb, var(--_fg) 55%, var(--_surface)));
    --_hover: color-mix(in srgb, var(--_fg) 6%, transparent);
    --_selected: color-mix(in srgb, var(--_accent) 13%, transparent);
    --_selected-fg: color-mix(in srgb, var(--_accent) 85%, var(--_fg));
    --_on-color: #fff;
    --_slack: #4a154b;
    --_discord: #4752c4;
    --_radius: var(--taskwire-radius, 10px);
    --_font: var(--taskwire-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_shadow: var(--taskwire-shadow, 0 1px 2px rgb(var(--_shade) / 8%), 0 1px 3px rgb(var(--_shade) / 6%));
    --_focus: 0 0 0 3px color-mix(in srgb, var(--_accent) 35%, transparent);
    font-family: var(--_font);
    font-size: var(--taskwire-font-size, 14px);
    line-height: 1.4;
    color: var(--_fg);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      color-scheme: dark;
      --_accent: var(--taskwire-accent, #8d95ff);
      --_accent-fg: var(--taskwire-accent-fg, #0b0f19);
      --_bg: var(--taskwire-bg, #0f131a);
      --_surface: var(--taskwire-surface, #171c26);
      --_fg: var(--taskwire-fg, #e6e9ef);
      --_muted: var(--taskwire-muted, #a3acba);
      --_border: var(--taskwire-border, #2e3544);
      --_danger: var(--taskwire-danger, #ff8f8f);
      --_warning: var(--taskwire-warning, #f7b955);
      --_success: var(--taskwire-success, #47cd89);
      --_shade: 0 0 0;
    }
  }
  :host([theme='dark']) {
    color-scheme: dark;
    --_accent: var(--taskwire-accent, #8d95ff);
    --_accent-fg: var(--taskwire-accent-fg, #0b0f19);
    --_bg: var(--taskwire-bg, #0f131a);
    --_surface: var(--taskwire-surface, #171c26);
    --_fg: var(--taskwire-fg, #e6e9ef);
    --_muted: var(--taskwire-muted, #a3acba);
    --_border: var(--taskwire-border, #2e3544);
    --_danger: var(--taskwire-danger, #ff8f8f);
    --_warning: var(--taskwire-warning, #f7b955);
    --_success: var(--taskwire-success, #47cd89);
    --_shade: 0 0 0;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  .btn {
    border: 1px solid var(--_control);
    background: var(--_surface);
    border-radius: calc(var(--_radius) * 0.7);
    padding: 6px 12px;
    line-height: 1.2;
  }
  .btn:hover {
    border-color: var(--_accent);
  }
  .btn.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  .btn.primary:hover {
    background: color-mix(in srgb, var(--_accent) 85%, var(--_fg));
  }
  .btn.danger {
    color: var(--_danger);
  }
  .btn.ghost {
    border-color: transparent;
    background: transparent;
  }
  .btn:disabled {
    opacity: 0.55;
    cursor: default;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
  input,
  select,
  textarea {
    border: 1px solid var(--_control);
    background: var(--_surface);
    border-radius: calc(var(--_radius) * 0.6);
    padding: 6px 8px;
    width: 100%;
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: var(--_focus);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    width: 24px;
    height: 24px;
    border-radius: 50%;
    font-size: 10px;
    font-weight: 600;
    color: var(--_on-color);
    flex: none;
    letter-spacing: 0.02em;
  }
  .notice {
    position: absolute;
    left: 50%;
    bottom: 14px;
    transform: translateX(-50%);
    background: var(--_fg);
    color: var(--_surface);
    padding: 8px 14px;
    border-radius: 999px;
    font-size: 13px;
    box-shadow: 0 4px 16px rgb(var(--_shade) / 20%);
    z-index: 5;
    max-width: 90%;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    color: var(--_muted);
  }
  .status::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .status[data-state='live']::before,
  .status[data-state='resynced']::before {
    background: var(--_success);
  }
  .status[data-state='reconnecting']::before,
  .status[data-state='connecting']::before {
    background: var(--_warning);
  }
  .status[data-state='unauthorized']::before,
  .status[data-state='error']::before {
    background: var(--_danger);
  }
  .empty {
    color: var(--_muted);
    text-align: center;
    padding: 24px 8px;
  }
`;
