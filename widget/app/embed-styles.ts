// The Embed tab's own styles: the token list, the one-time token and secret,
// and the code blocks (the snippet, the JWT example), dark in both themes.

import { css } from '../src/index.js';

export const embedStyles = css`
    :host {
      /* The code blocks are dark in both themes. */
      --_code-bg: #0f172a;
      --_code-fg: #e2e8f0;
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
    .panel {
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: 16px 18px;
    }
    h2 {
      margin: 0 0 10px;
      font-size: 15px;
      display: flex;
      align-items: center;
      gap: 8px;
    }
    h3 {
      margin: 14px 0 6px;
      font-size: 13px;
    }
    p {
      margin: 0 0 10px;
    }
    .panel > :last-child {
      margin-bottom: 0;
    }
    .hint {
      color: var(--_muted);
      font-size: 13px;
    }
    .count {
      color: var(--_muted);
      font-weight: 500;
    }
    pre {
      margin: 0;
      background: var(--_code-bg);
      color: var(--_code-fg);
      padding: 12px 14px;
      border-radius: 8px;
      overflow-x: auto;
      font-size: 12px;
      line-height: 1.5;
      white-space: pre;
    }
    code {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    }
    .code {
      position: relative;
    }
    .code .copy {
      position: absolute;
      top: 8px;
      right: 8px;
      background: color-mix(in srgb, var(--_code-fg) 10%, transparent);
      border-color: color-mix(in srgb, var(--_code-fg) 55%, transparent);
      color: var(--_code-fg);
      font-size: 12px;
      padding: 4px 10px;
    }
    .code pre {
      padding-right: 84px;
    }
    /* The snippet wraps: all of it must be visible to be checked before pasting. */
    pre.snippet,
    pre.generic {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .row {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .error {
      padding: 10px 14px;
      border-radius: 8px;
      background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
      color: var(--_danger);
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .error .btn {
      margin-left: auto;
    }
    /* The token shown once */
    .created {
      border: 1px solid color-mix(in srgb, var(--_success) 45%, var(--_border));
      background: color-mix(in srgb, var(--_success) 5%, var(--_surface));
      display: flex;
      flex-direction: column;
      gap: 10px;
    }
    .created h2 {
      margin: 0;
    }
    .created h2::before {
      content: '✓';
      display: inline-grid;
      place-items: center;
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: var(--_success);
      color: var(--_surface);
      font-size: 12px;
    }
    .once {
      margin: 0;
      font-size: 13px;
      color: var(--_warning);
      font-weight: 600;
    }
    .secret-field {
      display: grid;
      grid-template-columns: 120px 1fr auto;
      gap: 10px;
      align-items: center;
    }
    .secret-field .label {
      font-size: 12px;
      font-weight: 650;
      color: var(--_muted);
    }
    .secret-field .copy {
      min-width: 100px;
    }
    .secret-field code {
      display: block;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: 6px;
      padding: 6px 10px;
      font-size: 12.5px;
      overflow-x: auto;
      white-space: nowrap;
    }
    .note {
      border-left: 3px solid var(--_accent);
      padding: 2px 0 2px 12px;
      font-size: 13px;
    }
    .note p {
      margin: 0 0 6px;
    }
    .note ul {
      margin: 0;
      padding-left: 18px;
      color: var(--_muted);
    }
    .created .actions {
      display: flex;
      justify-content: flex-end;
    }
    /* The list */
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th {
      text-align: left;
      font-size: 12px;
      color: var(--_muted);
      font-weight: 600;
      padding: 6px 8px;
      border-bottom: 1px solid var(--_border);
    }
    td {
      padding: 9px 8px;
      border-bottom: 1px solid var(--_border);
      vertical-align: top;
    }
    tr:last-child td {
      border-bottom: 0;
    }
    .token-name {
      font-weight: 600;
      min-width: 150px;
    }
    .origins {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .origin {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 12px;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: 6px;
      padding: 1px 6px;
    }
    .pill {
      display: inline-block;
      font-size: 12px;
      font-weight: 600;
      border-radius: 999px;
      padding: 1px 8px;
      background: var(--_bg);
      color: var(--_muted);
    }
    .pill.member,
    .pill.verified {
      background: var(--_selected);
      color: var(--_selected-fg);
    }
    .when {
      color: var(--_muted);
      font-size: 13px;
      white-space: nowrap;
    }
    td.actions {
      text-align: right;
      white-space: nowrap;
      padding-top: 4px;
      padding-bottom: 4px;
    }
    .confirm-delete {
      display: inline-flex;
      gap: 6px;
      align-items: center;
      font-size: 13px;
    }
    .btn.danger-solid {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_surface);
    }
    .empty-list {
      color: var(--_muted);
      padding: 8px 0 2px;
      margin: 0;
    }
    /* The form */
    form {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 14px 20px;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 5px;
      min-width: 0;
    }
    .field.wide {
      grid-column: 1 / -1;
    }
    .field > label,
    legend {
      font-size: 12px;
      font-weight: 650;
      color: var(--_muted);
      padding: 0;
    }
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 6px;
      min-width: 0;
    }
    .choice {
      display: flex;
      gap: 10px;
      align-items: flex-start;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.7);
      padding: 8px 10px;
      cursor: pointer;
    }
    .choice:has(input:checked) {
      border-color: var(--_accent);
      background: color-mix(in srgb, var(--_accent) 6%, var(--_surface));
    }
    .choice input {
      width: auto;
      margin: 3px 0 0;
      accent-color: var(--_accent);
    }
    .choice strong {
      display: block;
      font-weight: 600;
    }
    .choice span {
      color: var(--_muted);
      font-size: 13px;
    }
    textarea {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 13px;
      resize: vertical;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .field-errors {
      margin: 0;
      padding-left: 18px;
      color: var(--_danger);
      font-size: 13px;
    }
    .submit {
      grid-column: 1 / -1;
      display: flex;
      justify-content: flex-end;
      gap: 8px;
      align-items: center;
    }
    .steps {
      margin: 10px 0 0;
      padding-left: 18px;
      color: var(--_muted);
      font-size: 13px;
    }
    @media (max-width: 900px) {
      form {
        grid-template-columns: 1fr;
      }
      .secret-field {
        grid-template-columns: 1fr auto;
      }
      .secret-field .label {
        grid-column: 1 / -1;
      }
    }
  `;
