import { describe, expect, it } from 'vitest';
import { discordToHtml } from '../../scripts/preview/discord-markdown.js';
import { readable } from '../../scripts/preview/first-screen.js';
import { mrkdwnToHtml } from '../../scripts/preview/slack-mrkdwn.js';

// Payloads carry text from pasted traces: the page must draw it, never run it.
describe('Slack mrkdwn on the preview page', () => {
  it('draws bold, italic, strike, code and links as Slack does', () => {
    expect(mrkdwnToHtml('*Who fixes it*\n_callee_ ~old~ `Reason: Q.850;cause=17`')).toBe('<b>Who fixes it</b><br><i>callee</i> <s>old</s> <code>Reason: Q.850;cause=17</code>');
    expect(mrkdwnToHtml('<https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4|RFC 3261 §21.5.4>')).toBe('<a href="https://www.rfc-editor.org/rfc/rfc3261.html#section-21.5.4">RFC 3261 §21.5.4</a>');
    expect(mrkdwnToHtml('Asked by <@U0ONCALL1>')).toBe('Asked by <span class="mention">@U0ONCALL1</span>');
  });

  it("shows Slack's escaped entities as the characters they stand for, and escapes them for HTML", () => {
    expect(mrkdwnToHtml('From: &lt;sip:alice@example.com&gt;;tag=1 &amp; more')).toBe('From: &lt;sip:alice@example.com&gt;;tag=1 &amp; more');
    expect(mrkdwnToHtml('`a &lt;b&gt;` <script>')).toBe('<code>a &lt;b&gt;</code> script');
  });

  it('leaves code untouched by emphasis and links only http(s)', () => {
    expect(mrkdwnToHtml('`*not bold*`')).toBe('<code>*not bold*</code>');
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('click');
    expect(mrkdwnToHtml('```\nINVITE sip:bob@example.com SIP/2.0\n```')).toBe('<pre class="code-block">INVITE sip:bob@example.com SIP/2.0\n</pre>');
  });
});

describe('Discord markdown on the preview page', () => {
  it('draws bold, italic, code, masked links and escapes raw HTML', () => {
    expect(discordToHtml('**503** *busy* `x<y`')).toBe('<b>503</b> <i>busy</i> <code>x&lt;y</code>');
    expect(discordToHtml('[RFC 3261](https://www.rfc-editor.org/rfc/rfc3261.html) <img src=x onerror=alert(1)>')).toBe(
      '<a href="https://www.rfc-editor.org/rfc/rfc3261.html">RFC 3261</a> &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(discordToHtml('> quoted\n# Head')).toBe('<span class="quote">quoted</span><br><span class="h1">Head</span>');
  });
});

describe('readable text', () => {
  it('compares what a reader sees: markup, entities, emoji and spacing removed', () => {
    expect(readable('🔥 *503* Service  Unavailable: <https://x.example|see> `this`')).toBe(readable('503 Service Unavailable: see this'));
    expect(readable('Q.850 cause 34')).toBe('q850cause34');
  });
});
