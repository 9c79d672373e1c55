import { discordPostHtml } from './discord-html.js';
import { escapeHtml, safeHref } from './html.js';
import type { CapturedCase } from './payloads.js';
import { PAGE_CSS } from './page-css.js';
import { discordBudget, slackBudget } from './budgets.js';
import { slackPostHtml } from './slack-html.js';
import { discordFacts, readable, slackFacts } from './first-screen.js';

/**
 * How tall the first screen of an answer is: a 1280×800 laptop window less Slack's or Discord's own top bar
 * and message box (about 100 px). What an on-call engineer reads without scrolling.
 */
export const FIRST_SCREEN_PX = 700;

/**
 * The review page: every case side by side as Slack and Discord draw it, with the first screen marked. An
 * inline script measures, after layout, which text of each answer lies above that line and writes it into
 * the answer's data-first-screen attribute, where a test reads it (chromium --dump-dom). Self-contained:
 * inline CSS, system fonts, images as data: URLs, so opening it fetches nothing.
 */
export function previewPage(cases: readonly CapturedCase[], generated: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>siptriage answers: Slack and Discord preview</title>
<style>${PAGE_CSS}</style></head>
<body>
<header class="page-head"><h1>siptriage answers, as Slack and Discord draw them</h1>
<p>${cases.length} answers, rendered from the exact payloads the service sends (${escapeHtml(generated)}). The dashed line in each answer is the end of its first screen (${FIRST_SCREEN_PX} px); Slack is drawn 640 px wide, narrower than a laptop's message pane, so the line errs on the short side.</p>
<nav>${cases.map((c) => `<a href="#case-${c.case.id}">${escapeHtml(c.case.title)}</a>`).join(' · ')}</nav></header>
${cases.map(caseHtml).join('\n')}
<script>${MEASURE_SCRIPT}</script>
</body></html>
`;
}

function caseHtml(c: CapturedCase): string {
  const source = c.case.source === undefined ? '' : ` · <a href="${safeHref(c.case.source) ?? ''}">source thread</a>`;
  const s = slackBudget(c.slack);
  const d = discordBudget(c.discord);
  const notifications = [...c.slack.filter((p) => p.text !== '').map((p) => `<li><b>Slack notification:</b> ${escapeHtml(p.text)}</li>`), ...c.discord.filter((p) => p.content !== undefined).map((p) => `<li><b>Discord content:</b> ${escapeHtml(p.content ?? '')}</li>`)];
  return `
<section class="case" id="case-${c.case.id}">
  <h2>${escapeHtml(c.case.title)} <small>${escapeHtml(c.case.asked)}${source}</small></h2>
  <ul class="meta">${notifications.join('')}
    <li><b>Sizes:</b> Slack ${s.messages} message${s.messages === 1 ? '' : 's'}, first ${s.firstBlocks} blocks / ${s.firstChars.toLocaleString('en')} chars of text · Discord ${d.messages} message${d.messages === 1 ? '' : 's'}, first ${d.firstEmbeds} embed${d.firstEmbeds === 1 ? '' : 's'} / ${d.firstChars.toLocaleString('en')} chars</li></ul>
  <div class="cols">
    ${answerHtml(c, 'slack', c.slack.map(slackPostHtml).join(''))}
    ${answerHtml(c, 'discord', c.discord.map(discordPostHtml).join(''))}
  </div>
</section>`;
}

function answerHtml(c: CapturedCase, platform: 'slack' | 'discord', posts: string): string {
  const facts = platform === 'slack' ? slackFacts(c) : discordFacts(c);
  // What the first screen must hold, as the reader compares it, so the page can flag an answer that buries it.
  const expect = escapeHtml(JSON.stringify([...facts.headline, ...facts.doNow].map(readable)));
  return `<div class="answer ${platform}" data-case="${c.case.id}" data-platform="${platform}" data-expect="${expect}"><div class="fold" style="top:${FIRST_SCREEN_PX}px"><span>first screen ends</span></div>${posts}</div>`;
}

// Text nodes whose lines start above the fold count, cut at the last character that still ends above it.
const MEASURE_SCRIPT = `
(function () {
  // #only=<case id> shows that case alone at the top, for a screenshot of its first screen.
  var only = /^#only=([\\w-]+)$/.exec(location.hash);
  if (only) document.querySelectorAll('.case, .page-head').forEach(function (s) { if (s.id !== 'case-' + only[1]) s.remove(); });
  var SCREEN = ${FIRST_SCREEN_PX};
  document.querySelectorAll('.answer').forEach(function (frame) {
    var limit = frame.getBoundingClientRect().top + SCREEN;
    var walker = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
    var parts = [];
    var range = document.createRange();
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentElement && node.parentElement.closest('.fold')) continue;
      range.selectNodeContents(node);
      var rects = range.getClientRects();
      if (rects.length === 0 || rects[0].top >= limit) continue;
      if (rects[rects.length - 1].bottom <= limit + 1) { parts.push(node.data); continue; }
      var lo = 0, hi = node.data.length;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        range.setStart(node, 0); range.setEnd(node, mid);
        var rs = range.getClientRects();
        if (rs.length > 0 && rs[rs.length - 1].bottom <= limit + 1) lo = mid; else hi = mid - 1;
      }
      parts.push(node.data.slice(0, lo));
    }
    var shown = parts.join(' ').replace(/\\s+/g, ' ').trim();
    frame.setAttribute('data-first-screen', shown);
    var seen = shown.toLowerCase().replace(/[^\\p{L}\\p{N}]+/gu, '');
    var missing = JSON.parse(frame.getAttribute('data-expect') || '[]').filter(function (e) { return seen.indexOf(e) === -1; });
    var fold = frame.querySelector('.fold span');
    if (fold) fold.textContent = missing.length === 0 ? 'first screen ends · headline and do-now above ✓' : 'first screen ends · ' + missing.length + ' expected line(s) not above ✗';
    if (missing.length > 0) frame.classList.add('buried');
    frame.setAttribute('data-height', String(Math.round(frame.getBoundingClientRect().height)));
  });
  document.body.setAttribute('data-page-height', String(Math.ceil(document.documentElement.scrollHeight)));
  document.body.setAttribute('data-measured', 'yes');
})();
`;
