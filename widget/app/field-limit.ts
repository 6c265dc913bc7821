// The app page's limits on what people type; the counter and the refusal are
// the widget's (widget/src/limits.ts), so both say the same in the same words.

import { css, type Limit } from '../src/index.js';

export { counter, refusal } from '../src/index.js';

export const PROJECT_NAME: Limit = { label: 'The project name', max: 100, required: true };
export const EMAIL: Limit = { label: 'The address', max: 254, required: true };

/** The counter and the refusal, for the screens that use them. */
export const limitStyles = css`
  .counter {
    font-size: 11px;
    color: var(--_muted);
    white-space: nowrap;
  }
  .counter.over {
    color: var(--_danger);
    font-weight: 600;
  }
  .refusal {
    margin: 6px 0 0;
    color: var(--_danger);
    font-size: 13px;
  }
`;
