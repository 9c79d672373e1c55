import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/errors/errors.js';
import { defaultKnowledgeDir, loadKnowledge, loadKnowledgeData } from '../../src/knowledge/load-knowledge.js';
import { checkVendorStatements, receivedClaims } from '../../src/knowledge/vendor-check.js';

const dir = mkdtempSync(join(tmpdir(), 'siptriage-vendor-'));
cpSync(defaultKnowledgeDir, dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A missing snapshot path: every run reads the edited YAML in the copy.
const noSnapshot = join(dir, 'no-snapshot.json');

/** Applies one edit to a file of the copy, runs the check, and puts the file back. */
function withEdit(file: string, edit: (text: string) => string): string[] {
  const path = join(dir, file);
  const original = readFileSync(path, 'utf8');
  const edited = edit(original);
  expect(edited, `the edit must change ${file}`).not.toBe(original);
  writeFileSync(path, edited);
  try {
    return checkVendorStatements(loadKnowledgeData(dir, noSnapshot)).map((p) => `${p.file}: ${p.path}: ${p.message}`);
  } finally {
    writeFileSync(path, original);
  }
}

describe('vendor statements in the shipped knowledge', () => {
  const data = loadKnowledgeData();
  const kb = loadKnowledge();

  it('all have sources and agree with the platform tables', () => {
    expect(checkVendorStatements(data)).toEqual([]);
  });

  it('cite only sources the tables list, each with a repository file or a page', () => {
    const notes = [
      ...data.codes.flatMap((e) => [...e.platforms, ...(e.failover?.platforms ?? [])]),
      ...data.q850.flatMap((q) => q.platforms),
    ];
    expect(notes.length).toBeGreaterThan(250);
    for (const n of notes) {
      expect(n.source.length).toBeGreaterThan(0);
      for (const id of n.source) {
        const entry = kb.source(id);
        expect(entry?.platform, id).toBe(n.platform);
        const s = entry?.source;
        expect(s !== undefined && ('url' in s ? s.url.startsWith('https://') : s.path.length > 0), id).toBe(true);
      }
    }
  });

  it('keep the fixes the blind review asked for, each traced to the table', () => {
    const asterisk = data.tables.find((t) => t.platform === 'asterisk');
    const receives = asterisk?.behaviours.find((b) => b.kind === 'receives');
    expect(receives?.kind === 'receives' ? [receives.map['483'], receives.map['503'], receives.map['487']] : []).toEqual([19, 34, 127]);
    expect(kb.code(403)?.failover?.platforms.find((p) => p.platform === '3cx')?.nextRoute).toBe('yes');
    expect(kb.code(500)?.related).toEqual(expect.arrayContaining([476, 477, 478]));
    expect(kb.code(100)?.variants.map((v) => v.phrase)).toContain('Giving it a try');
    expect(kb.code(503)?.failover?.platforms.find((p) => p.platform === 'kamailio')?.note).toMatch(/use_dns_failover[^.]*off by default/);
  });

  it('reads "turns a received X into cause N" claims out of note text', () => {
    expect(receivedClaims('Asterisk turns a received 401, 403, 407 or 603 into cause 21, so')).toEqual([
      { code: 401, cause: 21 },
      { code: 403, cause: 21 },
      { code: 407, cause: 21 },
      { code: 603, cause: 21 },
    ]);
    expect(receivedClaims('chan_pjsip maps a received 500 to hangup cause 38 (AST_CAUSE_FAILURE)')).toContainEqual({ code: 500, cause: 38 });
  });
});

describe('the vendor check refuses', () => {
  it('a planted vendor statement without a source', () => {
    const problems = withEdit('codes/486.yaml', (t) =>
      t.replace(/^causes:\n/m, 'causes:\n  - Kamailio answers 486 itself whenever the dialog module counts more than ten calls.\n'),
    );
    expect(problems).toContain('codes/486.yaml: causes.0: names kamailio but cites no kamailio source from knowledge/platforms/kamailio.yaml');
  });

  it('the same statement once it carries a source, so the planted failure was the missing source', () => {
    const problems = withEdit('codes/486.yaml', (t) =>
      t.replace(/^causes:\n/m, 'causes:\n  - text: Kamailio counts calls per user with the dialog module and the script can answer 486.\n    source: kamailio-dialog-docs\n'),
    );
    expect(problems).toEqual([]);
  });

  it('a source id that no platform table lists', () => {
    const problems = withEdit('codes/483.yaml', (t) => t.replace('source: asterisk-sip2cause', 'source: asterisk-made-up-source'));
    expect(problems).toContain('codes/483.yaml: platforms.1.source: cites asterisk-made-up-source, which no table in knowledge/platforms/ lists');
  });

  it("a source from another platform's table", () => {
    const problems = withEdit('codes/483.yaml', (t) => t.replace('source: asterisk-sip2cause', 'source: kamailio-core-error'));
    expect(problems).toContain('codes/483.yaml: platforms.1.source: cites kamailio-core-error, a kamailio source, for a asterisk statement');
  });

  it('a malformed source in the table, naming the file and field', () => {
    const path = join(dir, 'platforms/asterisk.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace('path: res/res_pjsip.c\n', 'path: res_pjsip.c — ast_sip_hangup_sip2cause()\n'));
    try {
      expect(() => loadKnowledge(dir, noSnapshot)).toThrow(KnowledgeError);
      expect(() => loadKnowledge(dir, noSnapshot)).toThrow(/platforms\/asterisk\.yaml: sources\.0/);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('a card whose mapping contradicts the table', () => {
    const problems = withEdit('codes/483.yaml', (t) => t.replace('into hangup cause 19 (no answer)', 'into hangup cause 25 (exchange routing error)'));
    expect(problems.join('\n')).toMatch(/codes\/483\.yaml: platforms\.1\.note: says asterisk turns a received 483 into cause 25; .*says 19/);
  });

  it('two cards that say different things about one platform and code', () => {
    // Cisco CUBE has no mapping table, so only the cards can be compared with each other.
    const note = (cause: number): string =>
      `  - platform: cisco-cube\n    note: CUBE turns a received 418 into cause ${cause} on the ISDN side.\n    source: cisco-voice-hunt\n`;
    const a = join(dir, 'codes/480.yaml');
    const original = readFileSync(a, 'utf8');
    writeFileSync(a, original.replace(/^platforms:\n/m, `platforms:\n${note(31)}`));
    try {
      const problems = withEdit('codes/486.yaml', (t) => t.replace(/^platforms:\n/m, `platforms:\n${note(17)}`));
      expect(problems.join('\n')).toMatch(/says cisco-cube turns a received 418 into cause 17, but codes\/480\.yaml platforms\.0 says 31/);
    } finally {
      writeFileSync(a, original);
    }
  });

  it('a failover verdict that contradicts the platform table', () => {
    const problems = withEdit('codes/403.yaml', (t) => t.replace(/(platform: 3cx\n\s+nextRoute: )"yes"/, '$1"no"'));
    expect(problems.join('\n')).toMatch(/codes\/403\.yaml: failover\.platforms\.2\.nextRoute: says 3cx nextRoute "no" for 403; .*3cx-next-route-answers\) says "yes"/);
  });

  it('an unregistered code presented as if it were standard', () => {
    const problems = withEdit('codes/500.yaml', (t) => t.replace('own unregistered codes instead', 'own codes instead'));
    expect(problems.join('\n')).toMatch(/codes\/500\.yaml: causes\.2: names an unregistered code \(47\d\) without saying it is unregistered/);
  });

  it("a reason phrase credited to a platform that its table does not give", () => {
    const problems = withEdit('codes/100.yaml', (t) => t.replace('phrase: Giving it a try', 'phrase: Giving a try'));
    expect(problems).toContain('codes/100.yaml: variants.1.phrase: "Giving a try" is credited to opensips, whose table (opensips-reply-texts) gives "Giving it a try" for 100');
  });

  it('at start-up too: loading stops on the first problem with file and field', () => {
    const path = join(dir, 'codes/486.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/^causes:\n/m, 'causes:\n  - FreeSWITCH sends 486 for every failed bridge.\n'));
    try {
      expect(() => loadKnowledge(dir, noSnapshot)).toThrow(/codes\/486\.yaml: causes\.0: names freeswitch but cites no freeswitch source/);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('through npm run knowledge:check, listing every problem and exiting non-zero', () => {
    const path = join(dir, 'codes/486.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/^causes:\n/m, 'causes:\n  - Twilio retries 486 on another carrier.\n  - Asterisk retries 486 after a second.\n'));
    try {
      let out = '';
      let status = 0;
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'scripts/check-knowledge.ts', '--root', dir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        const e = err as { status: number; stderr: string };
        status = e.status;
        out = e.stderr;
      }
      expect(status).toBe(1);
      expect(out).toContain('knowledge/codes/486.yaml: causes.0: names twilio');
      expect(out).toContain('knowledge/codes/486.yaml: causes.1: names asterisk');
      expect(out).toMatch(/2 vendor statement problem\(s\)/);
    } finally {
      writeFileSync(path, original);
    }
  });
});
