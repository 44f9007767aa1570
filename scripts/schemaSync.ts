/**
 * `npm run schema:sync`: writes package.json's `contributes.configuration` and the README's settings
 * table from the settings schema, and schemas/chorus.config.schema.json from the config file's. `--check` writes nothing and exits 1 when either is out of date
 * (the unit test test/unit/schema/settingsDrift.test.ts checks the same).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_SCHEMA_PATH, configFileJsonSchema, packageJsonDrift, spliceReadme, splicePackageJson } from './schemaArtifacts';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
const files = [
  { path: join(root, 'package.json'), update: (text: string) => splicePackageJson(text) },
  { path: join(root, 'README.md'), update: (text: string) => spliceReadme(text) },
  { path: join(root, CONFIG_SCHEMA_PATH), update: () => configFileJsonSchema() },
];

let stale = 0;
for (const file of files) {
  const text = existsSync(file.path) ? readFileSync(file.path, 'utf8') : '';
  const next = file.update(text);
  if (next === text) continue;
  stale++;
  if (check) console.error(`${file.path}: out of date with the settings schema (run npm run schema:sync)`);
  else {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, next);
  }
}
const drift = packageJsonDrift(JSON.parse(readFileSync(files[0]!.path, 'utf8')) as Parameters<typeof packageJsonDrift>[0]);
for (const line of drift) console.error(`package.json: ${line}`);
if (check && stale > 0) process.exitCode = 1;
if (drift.length > 0 && !check) process.exitCode = 1;
if (!check) console.log(stale === 0 ? 'schema:sync: package.json and README.md already match the schema' : `schema:sync: wrote ${stale} file(s)`);
