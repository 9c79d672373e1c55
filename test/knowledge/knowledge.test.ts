import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/errors/errors.js';
import { defaultKnowledgeDir, loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const reference = (file: string): string[][] =>
  readFileSync(new URL(`../fixtures/reference/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split('\t'));

const kb = loadKnowledge();
const iana = reference('iana-sip-response-codes.tsv');
const DEEP = [400, 401, 403, 404, 407, 408, 480, 481, 486, 487, 488, 494, 500, 501, 502, 503, 504, 505, 513, 600, 603, 604, 606];

describe('knowledge base', () => {
  it('has every code of the IANA registry, with its exact reason phrase and RFC', () => {
    expect(iana.length).toBe(75);
    for (const [code, phrase, rfc] of iana) {
      const entry = kb.code(Number(code));
      expect(entry, `code ${code}`).toBeDefined();
      expect(entry?.reason).toBe(phrase);
      expect(entry?.rfc.replace(' ', '')).toBe(rfc);
    }
    expect(kb.data.codes.length).toBe(75);
  });

  it('gives the codes incident teams meet most at least four causes, checks and fixes', () => {
    for (const code of DEEP) {
      const e = kb.code(code);
      expect(e?.causes.length, `${code} causes`).toBeGreaterThanOrEqual(4);
      expect(e?.checks.length, `${code} checks`).toBeGreaterThanOrEqual(4);
      expect(e?.fixes.length, `${code} fixes`).toBeGreaterThanOrEqual(4);
      expect(e?.platforms.length, `${code} platform notes`).toBeGreaterThan(0);
    }
  });

  it('says who fixes, whether to retry and how failover behaves for every failure code', () => {
    for (const e of kb.data.codes.filter((c) => c.code >= 400)) {
      expect(e.owners.length).toBeGreaterThan(0);
      expect(e.retry?.advice.length).toBeGreaterThan(10);
      expect(e.failover?.generic.length).toBeGreaterThan(10);
    }
  });

  it('keeps unregistered codes apart from registered ones', () => {
    for (const code of [477, 478, 479, 701, 702, 703]) {
      expect(kb.isRegistered(code)).toBe(false);
      expect(kb.unregistered(code)?.reason.length).toBeGreaterThan(3);
    }
  });

  it('recognises reason-phrase variants but keys them to the code', () => {
    expect(kb.phrase('Internal Server Error')).toMatchObject({ code: 500, kind: 'variant' });
    expect(kb.phrase('Server Time-Out')).toMatchObject({ code: 504 });
    expect(kb.phrase('Server Internal Error')).toEqual({ code: 500, kind: 'registered' });
  });

  it('has every Q.850 cause with the RFC 3398 mapping and every warn-code', () => {
    const q850 = reference('q850-causes.tsv');
    expect(kb.data.q850.length).toBe(q850.length);
    for (const [cause, name, toSip] of q850) {
      const q = kb.q850(Number(cause));
      expect(q?.name).toBe(name);
      // Cause 22 maps to 410 or, with a diagnostic, 301 (RFC 3398 lists it twice); the first is the default.
      if (toSip !== undefined && toSip !== '') expect(q?.toSip, `cause ${cause}`).toBe(Number(toSip.split('|')[0]));
    }
    const warnings = reference('sip-warning-codes.tsv');
    expect(kb.data.warnings.map((w) => w.code)).toEqual(warnings.map((w) => Number(w[0])));
  });

  it('links the three worked scenarios to their codes', () => {
    expect(kb.code(401)?.scenarios).toContain('register-401');
    expect(kb.code(503)?.scenarios).toContain('peak-503');
    expect(kb.code(488)?.scenarios).toContain('codec-488');
  });

  it('decodes Teams Direct Routing codes by prefix', () => {
    expect(kb.teams('560403')?.generatedBy).toBe('sbc');
    expect(kb.teams('12345')).toBeUndefined();
  });

  it('names platforms from Server and User-Agent headers', () => {
    expect(kb.platformForUserAgent('Asterisk PBX 20.5.0')?.id).toBe('asterisk');
    expect(kb.platformForUserAgent('FreeSWITCH-mod_sofia/1.10.9')?.id).toBe('freeswitch');
    expect(kb.platformForUserAgent('kamailio (5.7.1 (x86_64/linux))')?.id).toBe('kamailio');
  });
});

describe('invalid knowledge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siptriage-kb-'));
  cpSync(defaultKnowledgeDir, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops loading with the file and field named', () => {
    const file = join(dir, 'codes', '503.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/^owners:.*$/m, 'owners: [nobody]'));
    try {
      expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
      expect(() => loadKnowledge(dir)).toThrow(/codes\/503\.yaml: owners\.0/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('reports broken YAML with the file name', () => {
    const file = join(dir, 'warnings.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, 'code: [unclosed');
    try {
      expect(() => loadKnowledge(dir)).toThrow(/warnings\.yaml: is not valid YAML/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('refuses a related code that does not exist', () => {
    const file = join(dir, 'codes', '486.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/^related: .*$/m, 'related: [499]'));
    try {
      expect(() => loadKnowledge(dir)).toThrow(/codes\/486\.yaml: related\.0: 499 is not a known code/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
