import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exerciseTemplate, parseExercise, readExerciseFile, writeNewExerciseFile } from '../../../src/exercise/exerciseFile';
import { BASE, exerciseFile, tempDir } from './helpers';

const YAML_OK = `format: grimoire-exercise
version: 1
name: wheel-1
chapters: [1, 2]
timeBox: 1h30m
hints: facilitator
seeds: { alice: 7, bob: 8 }
participants: [alice, bob]
`;

describe('exercise files: valid', () => {
  test('YAML with one seed per participant', async () => {
    const r = await readExerciseFile(exerciseFile(tempDir(), YAML_OK, 'wheel.yaml'));
    expect(r).toEqual({
      ok: true,
      exercise: { name: 'wheel-1', chapters: ['1', '2'], timeBox: '1h30m', timeBoxMs: 5_400_000, hints: 'facilitator', seeds: { alice: 7, bob: 8 }, participants: ['alice', 'bob'] },
    });
  });

  test('JSON with one seed for everyone; participants may be left out', async () => {
    const { participants: _, ...noPeople } = BASE;
    const r = await readExerciseFile(exerciseFile(tempDir(), { ...noPeople, timeBox: '90s', hints: 'off' }));
    expect(r).toEqual({ ok: true, exercise: { name: 'drill', chapters: ['1'], timeBox: '90s', timeBoxMs: 90_000, hints: 'off', seed: 42, participants: [] } });
  });

  test.each([['yaml'], ['json']] as const)('the %s template init writes is a valid exercise', (syntax) => {
    const r = parseExercise(exerciseTemplate(syntax, 1234), syntax, 'x');
    expect(r).toEqual({ ok: true, exercise: { name: 'onboarding', chapters: ['1'], timeBox: '45m', timeBoxMs: 2_700_000, hints: 'facilitator', seed: 1234, participants: ['alice', 'bob'] } });
  });
});

describe('exercise files: invalid, each problem named by its field', () => {
  const bad = async (settings: Record<string, unknown> | string, name = 'ex.json'): Promise<string> => {
    const r = await readExerciseFile(exerciseFile(tempDir(), settings, name));
    if (r.ok) throw new Error('accepted');
    return r.message;
  };

  test('a chapter that does not exist', async () => {
    expect(await bad({ ...BASE, chapters: [1, 9] })).toMatch(/is not a usable exercise file:\n {2}chapters\[1\]: there is no chapter '9' \(chapters: 1, 2/);
  });

  test('hints that are not a mode, and a time box that is not one', async () => {
    const m = await bad({ ...BASE, hints: 'sometimes', timeBox: 'soon' });
    expect(m).toMatch(/\n {2}hints: hints are one of: allowed, off, facilitator/);
    expect(m).toMatch(/\n {2}timeBox: 'soon' is not a time box: write hours, minutes and seconds as 45m, 1h30m or 90s/);
  });

  test('a time box too short or too long', async () => {
    expect(await bad({ ...BASE, timeBox: '30s' })).toMatch(/timeBox: a time box of 30s is too short: at least 1m/);
    expect(await bad({ ...BASE, timeBox: '25h' })).toMatch(/timeBox: a time box of 25h is too long: at most 24h/);
  });

  test('both seed and seeds, or neither, or a participant without a seed', async () => {
    expect(await bad({ ...BASE, seeds: { alice: 1 } })).toMatch(/seeds: give either seed \(one world for everyone\) or seeds \(one per participant\), not both/);
    const { seed: _, ...noSeed } = BASE;
    expect(await bad(noSeed)).toMatch(/seed: give seed \(one world for everyone\) or seeds \(one per participant\)/);
    const m = await bad({ ...noSeed, seeds: { alice: 1, carol: 2 }, participants: ['alice', 'bob'] });
    expect(m).toMatch(/seeds: no seed for participant 'bob'/);
    expect(m).toMatch(/seeds\.carol: 'carol' is not one of the participants/);
  });

  test('a seed out of range, a name with a slash, a participant listed twice, a field the format does not have', async () => {
    const m = await bad({ ...BASE, seed: -1, name: '../up', participants: ['alice', 'alice'], colour: 'red' });
    expect(m).toMatch(/seed: a seed is a whole number from 0 to 4294967295/);
    expect(m).toMatch(/name: a name is 1 to 60 letters/);
    expect(m).toMatch(/participants\[1\]: 'alice' is listed twice/);
    expect(m).toMatch(/\(the file\): Unrecognized key: "colour"/);
  });

  test('another format or version', async () => {
    expect(await bad({ ...BASE, format: 'something-else' })).toMatch(/format: this is not a grimoire exercise file \(format must be 'grimoire-exercise'\)/);
    expect(await bad({ ...BASE, version: 2 })).toMatch(/version: this grimoire reads exercise files of version 1/);
  });

  test('broken YAML and JSON say where', async () => {
    expect(await bad('name: [unclosed\n', 'ex.yaml')).toMatch(/ex\.yaml is not valid YAML: .* at line \d+, column \d+:$/);
    expect(await bad('{"name": ', 'ex.json')).toMatch(/ex\.json is not valid JSON: /);
    expect(await bad('- a list\n', 'ex.yml')).toMatch(/is not a grimoire exercise file: it should be a map of settings/);
  });

  test('a file that is not .yaml, .yml or .json, a folder, a FIFO, a device, a missing file', async () => {
    const dir = tempDir();
    expect(await readExerciseFile(path.join(dir, 'ex.txt'))).toEqual({ ok: false, message: `cannot use ${path.join(dir, 'ex.txt')}: an exercise file is YAML (.yaml, .yml) or JSON (.json), by its name` });
    fs.mkdirSync(path.join(dir, 'd.yaml'));
    expect(await readExerciseFile(path.join(dir, 'd.yaml'))).toEqual({ ok: false, message: `cannot read exercise file ${path.join(dir, 'd.yaml')}: it is a folder, not a plain file` });
    execFileSync('mkfifo', [path.join(dir, 'p.json')]);
    expect(await readExerciseFile(path.join(dir, 'p.json'))).toEqual({ ok: false, message: `cannot read exercise file ${path.join(dir, 'p.json')}: it is a named pipe (FIFO), not a plain file` });
    fs.symlinkSync('/dev/zero', path.join(dir, 'z.yaml'));
    expect(await readExerciseFile(path.join(dir, 'z.yaml'))).toEqual({ ok: false, message: `cannot read exercise file ${path.join(dir, 'z.yaml')}: it is a device, not a plain file` });
    expect(await readExerciseFile(path.join(dir, 'none.yaml'))).toEqual({
      ok: false,
      message: `cannot read exercise file ${path.join(dir, 'none.yaml')}: no such file (grimoire exercise init ${path.join(dir, 'none.yaml')} writes one)`,
    });
  });
});

describe('exercise init', () => {
  test('writes a new file that reads back as a valid exercise', async () => {
    const file = path.join(tempDir(), 'team.yaml');
    expect(writeNewExerciseFile(file, 99)).toEqual({ ok: true, file });
    expect(fs.readFileSync(file, 'utf8')).toBe(exerciseTemplate('yaml', 99));
    const r = await readExerciseFile(file);
    expect(r.ok && r.exercise.seed).toBe(99);
  });

  test('never replaces what is there: a file, a folder, a link', () => {
    const dir = tempDir();
    const file = path.join(dir, 'mine.json');
    fs.writeFileSync(file, 'my notes');
    expect(writeNewExerciseFile(file, 1)).toEqual({ ok: false, message: `${file} already exists; exercise init never replaces a file. Name a new one.` });
    expect(fs.readFileSync(file, 'utf8')).toBe('my notes');
    fs.mkdirSync(path.join(dir, 'sub.yaml'));
    expect(writeNewExerciseFile(path.join(dir, 'sub.yaml'), 1).ok).toBe(false);
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'link.yaml'));
    expect(writeNewExerciseFile(path.join(dir, 'link.yaml'), 1).ok).toBe(false);
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  test('refuses a name that is not .yaml, .yml or .json', () => {
    const file = path.join(tempDir(), 'ex.toml');
    expect(writeNewExerciseFile(file, 1)).toEqual({ ok: false, message: `cannot write ${file}: an exercise file is YAML (.yaml, .yml) or JSON (.json), by its name` });
    expect(fs.existsSync(file)).toBe(false);
  });
});
