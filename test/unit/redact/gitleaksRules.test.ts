import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import data from '../../../src/core/redact/rules/gitleaks.json';
import { convertGitleaksToml, parseTomlSubset } from '../../../src/core/redact/rules/convertGitleaks';
import { compileGoRegex, goRegexToJs } from '../../../src/core/redact/rules/goRegex';
import { detectWithGitleaksRules, gitleaksRuleCount } from '../../../src/core/redact/gitleaksRules';

const hex = (n: number) => randomBytes(n).toString('hex').slice(0, n);
const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62]).join('');

describe('gitleaks rules as data', () => {
  it('every rule of the shipped file compiles to a JavaScript RegExp', () => {
    assert.ok(data.rules.length >= 200, `${data.rules.length} rules`);
    assert.match(data.source.commit, /^[0-9a-f]{40}$/);
    assert.match(data.source.license, /MIT License/);
    // All rules but path-only ones (pkcs12-file) are in force.
    assert.equal(gitleaksRuleCount(), data.rules.filter((r) => r.regex).length);
  });

  it('converts Go syntax: inline flags widened, (?s:.), \\z, POSIX classes', () => {
    assert.deepEqual(goRegexToJs('(?i)\\b(abc)'), { source: '\\b(abc)', flags: 'i' });
    assert.deepEqual(goRegexToJs('x(?-i:[Aa]pi)y'), { source: 'x(?:[Aa]pi)y', flags: '' });
    assert.deepEqual(goRegexToJs('a(?s:.){0,5}b\\z'), { source: 'a[\\s\\S]{0,5}b$', flags: '' });
    assert.ok(compileGoRegex('\\b(pat[[:alnum:]]{3})\\b').test('pat9aZ'));
    assert.ok(compileGoRegex('dp\\.pt\\.(?i)[a-z]{3}').test('dp.pt.ABC'), '(?i) mid-pattern applies');
  });

  it('reads the TOML subset gitleaks.toml is written in, and refuses what it does not know', () => {
    const toml = [
      '[allowlist]',
      "regexes = ['''^x$''']",
      '[[rules]]',
      'id = "demo"',
      "regex = '''\\b(demo_[a-z]{4})'''",
      'entropy = 2.5',
      'keywords = [',
      '    "demo_", # a comment',
      ']',
      '[[rules.allowlists]]',
      'regexTarget = "line"',
      'stopwords = ["test"]',
    ].join('\n');
    const file = convertGitleaksToml(toml, 'c'.repeat(40), 'MIT');
    assert.deepEqual(file.allowlist, { regexes: ['^x$'] });
    assert.deepEqual(file.rules, [
      { id: 'demo', regex: '\\b(demo_[a-z]{4})', entropy: 2.5, keywords: ['demo_'], allowlists: [{ regexTarget: 'line', stopwords: ['test'] }] },
    ]);
    assert.throws(() => parseTomlSubset('key = { inline = 1 }'), /unsupported value/);
  });

  it('finds provider tokens the recommended preset missed (DigitalOcean, PyPI, Doppler, …)', () => {
    const tokens: [string, string][] = [
      ['digitalocean-pat', `dop_v1_${hex(64)}`],
      ['pypi-upload-token', `pypi-AgEIcHlwaS5vcmc${alnum(70)}`],
      ['doppler-api-token', `dp.pt.${alnum(43)}`],
      ['databricks-api-token', `dapi${hex(32)}`],
      ['postman-api-token', `PMAK-${hex(24)}-${hex(34)}`],
      ['sentry-user-token', `sntryu_${hex(64)}`],
      ['pulumi-api-token', `pul-${hex(40)}`],
    ];
    for (const [kind, token] of tokens) {
      const text = `const neutral = "${token}";\n`;
      const ranges = detectWithGitleaksRules('src/a.ts', text);
      assert.ok(ranges.some((r) => text.slice(r.start, r.end) === token && r.kind === kind), `${kind}: ${JSON.stringify(ranges)}`);
    }
  });

  it('keeps ordinary code and low-entropy words', () => {
    const text = [
      'const password = getPassword();',
      'function login(token: string) { return api.auth(token); }',
      'const secretName = "db";',
      'const apiVersion = "2024-01-01";',
      'const keyboardLayout = "qwerty-international";',
    ].join('\n');
    assert.deepEqual(detectWithGitleaksRules('src/a.ts', text), []);
  });

  it('stays fast on 512 KB of hostile text (a repository may craft it)', () => {
    const shapes = [
      'a'.repeat(512 * 1024),
      'token = '.repeat(65_536),
      ('curl -H ' + 'x'.repeat(120) + '\n').repeat(4000),
      ('api_key' + '-'.repeat(60) + '= \n').repeat(7000),
      ('kind: secret\ndata: ' + 'a:'.repeat(100) + '\n').repeat(2000),
    ];
    for (const text of shapes) {
      const started = performance.now();
      detectWithGitleaksRules('x.yaml', text);
      const ms = performance.now() - started;
      assert.ok(ms < 3000, `${Math.round(ms)} ms on ${text.slice(0, 12)}…`);
    }
  });
});
