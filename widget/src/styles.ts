// Shared shadow-DOM styles. Everything a host page may theme goes through the
// documented --taskwire-* custom properties (see widget/README.md); inside, the
// elements use the private --_* aliases with the defaults.

import { css } from 'lit';

export const theme = css`
  :host {
    --_accent: var(--taskwire-accent, #4f46e5);
    --_accent-fg: var(--taskwire-accent-fg, #ffffff);
    --_bg: var(--taskwire-bg, #f5f6f8);
    --_surface: var(--taskwire-surface, #ffffff);
    --_fg: var(--taskwire-fg, #1d2330);
    --_muted: var(--taskwire-muted, #667085);
    --_border: var(--taskwire-border, #e2e5ea);
    --_danger: var(--taskwire-danger, #c92a2a);
    --_warning: var(--taskwire-warning, #b25e09);
    --_radius: var(--taskwire-radius, 10px);
    --_font: var(--taskwire-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_shadow: var(--taskwire-shadow, 0 1px 2px rgb(16 24 40 / 8%), 0 1px 3px rgb(16 24 40 / 6%));
    --_focus: 0 0 0 3px color-mix(in srgb, var(--_accent) 35%, transparent);
    font-family: var(--_font);
    font-size: var(--taskwire-font-size, 14px);
    line-height: 1.4;
    color: var(--_fg);
    box-sizing: border-box;
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
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: calc(var(--_radius) * 0.7);
    padding: 6px 12px;
    line-height: 1.2;
  }
  .btn:hover {
    border-color: color-mix(in srgb, var(--_accent) 45%, var(--_border));
  }
  .btn.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  .btn.primary:hover {
    background: color-mix(in srgb, var(--_accent) 88%, black);
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
    border: 1px solid var(--_border);
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
    color: #fff;
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
    box-shadow: 0 4px 16px rgb(0 0 0 / 20%);
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
    background: #12b76a;
  }
  .status[data-state='reconnecting']::before,
  .status[data-state='connecting']::before {
    background: #f79009;
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
