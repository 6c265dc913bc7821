import { expect } from 'chai';
import { WebhookBody } from '../../core/http/routes/webhooks/schema.js';

// The webhook URL rule the API (and its document) states, held against what URL parsing accepts: everything the
// rule lets through must parse, and what people write (any case, a final dot, a query in any script) must pass.
const accepts = (url: string) => WebhookBody.safeParse({ url, events: ['task.*'] }).success;

describe('Webhook URLs the API accepts', () => {
  it('takes http(s) in any case, host names, IPv4, ports, a final dot and any query', () => {
    for (const url of ['https://hooks.example.com/x?a=1#f', 'HTTPS://Hooks.Example.COM/x', 'http://127.0.0.1:8080/in', 'https://example.com./h', 'https://example.org/?q=été', 'http://localhost:3000']) {
      expect(accepts(url), url).to.equal(true);
      expect(() => new URL(url), url).to.not.throw();
    }
  });

  it('refuses what cannot be delivered to, with the path of the field', () => {
    for (const url of ['ftp://example.com/x', 'https://user:secret@example.com/x', 'http://1.2.3.4.5/', 'http://example.com:99999/', 'http://[::1]/x', 'http://a b.com/', 'https://example.123/', 'https://']) {
      const parsed = WebhookBody.safeParse({ url, events: ['task.*'] });
      expect(parsed.success, url).to.equal(false);
      expect(parsed.error?.issues[0]?.path, url).to.deep.equal(['url']);
    }
  });
});
