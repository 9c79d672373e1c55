import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import type { CallQuality } from '../../src/core/media/call-quality.js';
import { parseStatsQuery } from '../../src/core/query/stats-query.js';
import { hashCallId } from '../../src/core/triage/call-events.js';
import { DigestService } from '../../src/digest/digest-service.js';
import { defaultKnowledge } from '../../src/knowledge/load-knowledge.js';
import type { StoredEvent } from '../../src/ports/store.js';
import { sqliteStores } from './digest-store.js';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 25, 9, 30);
const stores = sqliteStores();
afterAll(() => stores.cleanup());

const answered = (i: number, peer: string): StoredEvent => ({
  time: NOW - (i + 1) * H,
  kind: 'answered',
  code: 200,
  method: 'INVITE',
  peer,
  product: null,
  q850: null,
  findings: [],
  callIdHash: hashCallId(`quality-${i}`),
  surface: 'hep',
  workspace: null,
  channel: null,
});
const quality = (mos: number): CallQuality => ({ mos, directions: [{ from: '192.0.2.1:4000', to: '198.51.100.2:5000', mos, mosFrom: 'e-model', lossPercent: 0, jitterMs: 5, source: 'rtcp' }] });

describe('/sip stats and the digest show audio quality from the store', () => {
  it('adds an "Audio quality" section: the MOS bands, calls with poor audio, the worst peers', async () => {
    const store = await stores.open();
    const mos = [4.3, 4.2, 4.1, 3.3, 2.9, 3.0, 4.4];
    const peers = ['sbc1.example.net', 'sbc1.example.net', 'sbc1.example.net', 'gw.example.org', 'gw.example.org', 'gw.example.org', 'sbc1.example.net'];
    const events = mos.map((_, i) => answered(i, peers[i]!));
    await store.recordEvents(events);
    await store.recordQuality!(events.map((e, i) => ({ callIdHash: e.callIdHash, quality: quality(mos[i]!) })));
    const service = new DigestService({ store, kb: defaultKnowledge(), log: createLogger({ level: 'silent', pretty: false }), config: { cron: '0 9 * * *', timeZone: 'UTC', channels: [] } });
    const query = parseStatsQuery('24h');
    if (!query.ok) throw new Error('query');
    const card = await service.statsCard(query.query, NOW);
    // No failures at all: the quality still shows.
    expect(card.summary).toMatch(/^No SIP errors recorded/);
    const section = card.sections.find((s) => s.title === 'Audio quality');
    expect(section?.items).toEqual([
      'Audio quality of 7 calls (RTCP / RFC 6035 reports): mean MOS 3.74; 3 with poor audio (MOS < 3.6, 43 %)',
      'MOS ≥ 4.0: 4 · 3.6–4.0: 0 · 3.1–3.6: 1 · < 3.1: 2',
      'Worst peers by MOS: gw.example.org 3.07 (3/3 poor)',
    ]);
    const digest = await service.digest(NOW, undefined, true);
    expect(digest.quality?.worstPeers.map((p) => p.peer)).toEqual(['gw.example.org']);
    const text = JSON.stringify((await service.digestPreview(NOW)));
    expect(text).toContain('3 with poor audio');
  });
});
