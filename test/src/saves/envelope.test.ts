import { canonicalJson, checksumOf } from '../../../src/saves/canonical';
import type { SavedGame as SavedGameForTest } from '../../../engine/index';
import {
  decodeSave,
  encodeSave,
  EXPORT_FORMAT,
  FORMAT_VERSION,
  SaveEncodeError,
  type DecodeFailure,
  type DecodeResult,
} from '../../../src/saves/envelope';
import { sampleData } from './helpers';

const FILE = 'saves/slot1.json';

function expectFailure(r: DecodeResult, reason: DecodeFailure['reason']): DecodeFailure {
  if (r.ok) throw new Error(`expected a ${reason} failure, got a good save`);
  expect(r.reason).toBe(reason);
  expect(r.message).toContain(FILE);
  return r;
}

/** Re-seals an edited envelope the way a correct writer would (to test what comes after the checksum). */
function reseal(obj: Record<string, unknown>): string {
  const { checksum: _old, ...body } = obj;
  return JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 2);
}

describe('canonicalJson', () => {
  it('ignores key order and whitespace but not values', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 'x', c: null }] })).toBe('{"a":[1,{"c":null,"d":"x"}],"b":1}');
    expect(canonicalJson(JSON.parse('{ "a" : 1 ,"b":2}'))).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
    // integer-like keys are sorted as strings too, not in JavaScript's own key order
    expect(canonicalJson({ 10: 'a', 9: 'b', x: 'c' })).toBe('{"10":"a","9":"b","x":"c"}');
  });
  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/not JSON/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/not JSON/);
  });
});

describe('encodeSave / decodeSave', () => {
  const save = sampleData('slot1', 'A', 7);

  it('round-trips a save exactly', () => {
    const text = encodeSave(save);
    const r = decodeSave(text, FILE);
    expect(r).toEqual({ ok: true, format: 'grimoire-save', migrated: null, save });
  });

  it('writes the documented envelope', () => {
    const env = JSON.parse(encodeSave(save)) as Record<string, unknown>;
    expect(Object.keys(env)).toEqual([
      'format',
      'formatVersion',
      'game',
      'engineVersion',
      'storyVersion',
      'savedAt',
      'slot',
      'meta',
      'history',
      'payload',
      'checksum',
    ]);
    expect(env).toMatchObject({ format: 'grimoire-save', formatVersion: 2, game: 'grimoire', engineVersion: 1, storyVersion: 'story-1', slot: 'slot1' });
    expect(env.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { checksum, ...body } = env;
    expect(checksum).toBe(checksumOf(body));
  });

  it('is deterministic, and its checksum does not depend on key order in the input', () => {
    const shuffled = JSON.parse(JSON.stringify(save), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as typeof save;
    expect(encodeSave(save)).toBe(encodeSave(save));
    const a = JSON.parse(encodeSave(shuffled)) as { checksum: string };
    const b = JSON.parse(encodeSave(save)) as { checksum: string };
    expect(a.checksum).toBe(b.checksum);
    expect(decodeSave(encodeSave(shuffled), FILE)).toEqual(decodeSave(encodeSave(save), FILE));
  });

  it('a pretty-printing or key-reordering tool does not break the checksum', () => {
    const env = JSON.parse(encodeSave(save)) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(env).reverse());
    const r = decodeSave(JSON.stringify(reordered), FILE);
    expect(r.ok).toBe(true);
  });

  it('refuses to encode what is not a valid save', () => {
    expect(() => encodeSave({ ...save, slot: '../x' })).toThrow(SaveEncodeError);
    expect(() => encodeSave({ ...save, savedAt: 'yesterday' })).toThrow(SaveEncodeError);
    expect(() => encodeSave({ ...save, meta: { ...save.meta, chapter: 'ch9' } })).toThrow(/meta.chapter/);
    const badState = { ...save, payload: { ...save.payload, state: { x: Number.NaN } } };
    expect(() => encodeSave(badState as unknown as typeof save)).toThrow(SaveEncodeError);
  });

  it('marks exports as such; a slot read refuses an export, an import accepts it', () => {
    const text = encodeSave(save, { format: EXPORT_FORMAT });
    expect(JSON.parse(text).format).toBe('grimoire-export');
    expectFailure(decodeSave(text, FILE), 'foreign');
    expect(decodeSave(text, FILE, { accept: ['grimoire-export'] }).ok).toBe(true);
  });
});

describe('damaged files', () => {
  const text = encodeSave(sampleData('slot1', 'A', 3, { padBytes: 300 }));

  it('empty: no bytes, blank space, zero bytes', () => {
    expect(expectFailure(decodeSave('', FILE), 'empty').message).toMatch(/empty \(0 bytes\)/);
    expectFailure(decodeSave('  \n', FILE), 'empty');
    expect(expectFailure(decodeSave('\0'.repeat(4096), FILE), 'empty').message).toMatch(/zero bytes/);
  });

  it('truncated: cut at many offsets, every one reported as truncated', () => {
    const cuts = [1, 2, 10, 50, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 80, text.length - 3, text.length - 2];
    for (const cut of cuts) {
      const r = decodeSave(text.slice(0, cut), FILE);
      expect({ cut, reason: r.ok ? 'ok' : r.reason }).toEqual({ cut, reason: 'truncated' });
    }
    // a cut right after the closing brace only loses the final newline: the save is whole
    expect(decodeSave(text.slice(0, text.length - 1), FILE).ok).toBe(true);
  });

  it('truncated, with the rest of the file zero-filled (what some file systems leave after a crash)', () => {
    const cut = text.slice(0, 200);
    const r = expectFailure(decodeSave(cut + '\0'.repeat(text.length - 200), FILE), 'truncated');
    expect(r.message).toMatch(/zero bytes/);
  });

  it('every single bit flip in the file is detected, never loaded as different data', () => {
    const bytes = Buffer.from(text, 'utf8');
    const reasons = new Map<string, number>();
    const original = decodeSave(text, FILE);
    expect(original.ok).toBe(true);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[i] ^= 1 << bit;
        const r = decodeSave(flipped.toString('utf8'), FILE);
        if (r.ok) {
          // only a flip that changes nothing the game sees may pass (e.g. 'e' to 'E' in a number)
          expect(r).toEqual(original);
        } else {
          expect(r.message).toContain(FILE);
        }
        const key = r.ok ? 'ok' : r.reason;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    expect(reasons.get('ok') ?? 0).toBe(0);
    expect([...reasons.keys()].every((k) => ['checksum', 'not-json', 'truncated', 'schema'].includes(k))).toBe(true);
    expect(reasons.get('checksum')).toBeGreaterThan(bytes.length); // most flips land in values
  });

  it('a hand-edited value (JSON still valid) is a checksum mismatch', () => {
    const edited = text.replace('"hints": 3', '"hints": 0');
    expect(edited).not.toBe(text);
    const r = expectFailure(decodeSave(edited, FILE), 'checksum');
    expect(r.message).toBe(`${FILE} is damaged (checksum mismatch): it was changed after it was written.`);
  });

  it('a removed or mangled checksum field', () => {
    const env = JSON.parse(text) as Record<string, unknown>;
    const { checksum: _c, ...noChecksum } = env;
    expect(expectFailure(decodeSave(JSON.stringify(noChecksum), FILE), 'checksum').message).toMatch(/no checksum/);
    expectFailure(decodeSave(JSON.stringify({ ...env, checksum: 'md5:abc' }), FILE), 'checksum');
  });

  it('an added unknown key is caught (by the checksum; and by the strict schema when re-sealed)', () => {
    const env = JSON.parse(text) as Record<string, unknown>;
    expectFailure(decodeSave(JSON.stringify({ ...env, cheat: true }), FILE), 'checksum');
    const r = expectFailure(decodeSave(reseal({ ...env, cheat: true }), FILE), 'schema');
    expect(r.message).toMatch(/cheat/);
    const meta = { ...(env.meta as object), extra: 1 };
    expectFailure(decodeSave(reseal({ ...env, meta }), FILE), 'schema');
  });

  it('a sealed envelope whose parts disagree is refused', () => {
    const env = JSON.parse(text) as Record<string, unknown>;
    expectFailure(decodeSave(reseal({ ...env, engineVersion: 2 }), FILE), 'schema');
    expectFailure(decodeSave(reseal({ ...env, slot: '../../etc/passwd' }), FILE), 'schema');
  });

  it('a save with junk after it, or with its quotes changed, is damaged (not JSON)', () => {
    expect(expectFailure(decodeSave(`${text}{"more": 1}`, FILE), 'not-json').message).toMatch(/is damaged \(not JSON\)/);
    expectFailure(decodeSave(text.replace('"format"', "'format'"), FILE), 'not-json');
  });

  it('text that is not JSON and nothing like a save is "not a grimoire save", not damaged', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
    for (const other of ['hello, world\n', passwd, 'PK\u0003\u0004\u0014\u0000 a zip file', '# notes\n\n{ not json']) {
      const r = expectFailure(decodeSave(other, FILE), 'foreign');
      expect(r.message).toMatch(/is not a grimoire save: it is not JSON/);
      expect(r.message).not.toMatch(/damaged/);
    }
    expect(expectFailure(decodeSave('PK\u0003\u0004\u0014\u0000', FILE), 'foreign').message).toMatch(/binary data/);
    // the start of one of ours, cut off, is still ours
    expectFailure(decodeSave('{', FILE), 'truncated');
    expectFailure(decodeSave('{\n  "format": "grimoire-sa', FILE), 'truncated');
  });

  it('foreign JSON: a package.json, an array, a bare engine snapshot', () => {
    const pkg = JSON.stringify({ name: 'grimoire', version: '0.1.0', scripts: { test: 'jest' }, dependencies: { zod: '^4' } }, null, 2);
    expect(expectFailure(decodeSave(pkg, FILE), 'foreign').message).toMatch(/not a grimoire save.*package\.json/);
    expectFailure(decodeSave('[1, 2, 3]', FILE), 'foreign');
    expectFailure(decodeSave('"grimoire-save"', FILE), 'foreign');
    const bare = (JSON.parse(text) as { payload: SavedGameForTest }).payload;
    expect(expectFailure(decodeSave(JSON.stringify(bare), FILE), 'foreign').message).toMatch(/bare game snapshot/);
  });
});

describe('versions', () => {
  const base = sampleData('slot1', 'A', 5);
  const env = JSON.parse(encodeSave(base)) as Record<string, unknown>;

  /** The synthetic format-0 layout (see migrateFormatV0toV1): SavedGame fields flat, no meta. */
  function v0Text(): string {
    return reseal({
      format: 'grimoire-save',
      formatVersion: 0,
      game: 'grimoire',
      slot: 'old-slot',
      savedAt: '2024-06-01T09:30:00.000Z',
      engineVersion: 1,
      storyVersion: 'story-1',
      chapter: 'ch1',
      seed: 99,
      state: { legacy: true, list: [1, 2] },
      history: ['uptime'],
      hintsUsed: 2,
      spellsCast: 11,
    });
  }

  it('a newer save format is refused, clearly', () => {
    const r = expectFailure(decodeSave(reseal({ ...env, formatVersion: FORMAT_VERSION + 1 }), FILE), 'too-new');
    expect(r.message).toMatch(/made by a newer grimoire/);
  });

  it('an older save format with a migration is converted', () => {
    const r = decodeSave(v0Text(), FILE);
    if (!r.ok) throw new Error(r.message);
    expect(r.migrated).toEqual({ fromFormatVersion: 0 });
    expect(r.save).toEqual({
      slot: 'old-slot',
      savedAt: '2024-06-01T09:30:00.000Z',
      meta: { chapter: 'ch1', chapterTitle: 'ch1', progress: 'saved by an older grimoire', virtualTime: '', hints: 2, spells: 11 },
      history: ['uptime'],
      payload: { format: 'grimoire-game', engineVersion: 1, storyVersion: 'story-1', chapter: 'ch1', seed: 99, state: { legacy: true, list: [1, 2] } },
    });
    // and what it converted to is a save that encodes and decodes like any other
    expect(decodeSave(encodeSave(r.save), FILE)).toMatchObject({ ok: true, migrated: null, save: r.save });
  });

  it('an older save format is checked before it is converted', () => {
    expectFailure(decodeSave(v0Text().replace('"seed": 99', '"seed": 98'), FILE), 'checksum');
    const broken = JSON.parse(v0Text()) as Record<string, unknown>;
    const r = expectFailure(decodeSave(reseal({ ...broken, seed: 'ninety-nine' }), FILE), 'schema');
    expect(r.message).toMatch(/converting it failed/);
  });

  it('an older save format without a migration is refused, not half-loaded', () => {
    const r = expectFailure(decodeSave(v0Text(), FILE, { formatMigrations: {} }), 'too-old');
    expect(r.message).toMatch(/older grimoire.*cannot convert it/);
    const r2 = expectFailure(decodeSave(reseal({ ...env, formatVersion: -1 }), FILE), 'schema');
    expect(r2.message).toMatch(/formatVersion/);
  });

  it('a migration that returns the wrong version is refused', () => {
    const r = decodeSave(v0Text(), FILE, { formatMigrations: { 0: (old) => ({ ...old }) } });
    expectFailure(r, 'schema');
  });

  describe('engine versions', () => {
    const at = (v: number): string =>
      encodeSave({ ...base, payload: { ...base.payload, engineVersion: v, state: { shape: `v${v}`, n: 1 } } });

    it('the same version loads as it is', () => {
      expect(decodeSave(at(2), FILE, { engine: { version: 2 } })).toMatchObject({ ok: true, migrated: null });
    });

    it('a newer engine version is refused', () => {
      const r = expectFailure(decodeSave(at(3), FILE, { engine: { version: 2 } }), 'too-new');
      expect(r.message).toMatch(/newer grimoire \(engine version 3; this is version 2\)/);
    });

    it('an older one is migrated step by step through the registry', () => {
      const migrations = {
        1: (g: SavedGameForTest) => ({ ...g, engineVersion: 2, state: { shape: 'v2', n: ((g.state as { n: number }).n ?? 0) + 10 } }),
        2: (g: SavedGameForTest) => ({ ...g, engineVersion: 3, state: { shape: 'v3', n: (g.state as { n: number }).n * 2 } }),
      };
      const r = decodeSave(at(1), FILE, { engine: { version: 3, migrations } });
      if (!r.ok) throw new Error(r.message);
      expect(r.migrated).toEqual({ fromEngineVersion: 1 });
      expect(r.save.payload.engineVersion).toBe(3);
      expect(r.save.payload.state).toEqual({ shape: 'v3', n: 22 });
    });

    it('an older one with a gap in the registry is refused', () => {
      const migrations = { 2: (g: SavedGameForTest) => ({ ...g, engineVersion: 3 }) };
      expectFailure(decodeSave(at(1), FILE, { engine: { version: 3, migrations } }), 'too-old');
    });

    it('a migration that throws or returns garbage is refused', () => {
      const throwing = {
        1: () => {
          throw new Error('boom');
        },
      };
      expect(expectFailure(decodeSave(at(1), FILE, { engine: { version: 2, migrations: throwing } }), 'schema').message).toMatch(/boom/);
      const garbage = { 1: () => ({ nope: true }) as unknown as SavedGameForTest };
      expectFailure(decodeSave(at(1), FILE, { engine: { version: 2, migrations: garbage } }), 'schema');
    });
  });
});

describe('decodeSave never throws', () => {
  it('on a pathologically deep document', () => {
    const deep = `{"format":"grimoire-save","checksum":"sha256:${'0'.repeat(64)}","x":${'['.repeat(200000)}${']'.repeat(200000)}}`;
    const r = decodeSave(deep, FILE);
    expect(r.ok).toBe(false);
  });
});
