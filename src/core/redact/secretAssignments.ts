/**
 * Values assigned to secret-named keys, in the shapes configuration takes: YAML and docker-compose
 * (`password: hunter2hunter2`, `- POSTGRES_PASSWORD=…`), `.properties` (`db.password=…`), ini, dotenv
 * and shell (`export AZURE_OPENAI_KEY=…`), JSON (`"ApiKey": "…"`), Terraform (`password = "…"`,
 * `variable "db_password" { default = "…" }`), Kubernetes `kind: Secret` `data:`/`stringData:` (every
 * value, whatever its key), XML elements, and quoted string literals in code.
 *
 * In configuration a bare word is a literal; in code it is a reference (`password = getPassword()`,
 * `token: string`), so code files only have their quoted literals looked at.
 */
import type { SecretRange } from './extraDetectors';
import { isCodeConstant, isPlaceholder, isSecretAssignment } from './secretNames';

const CONFIG_FILE =
  /\.(?:ya?ml|properties|ini|cfg|conf|cnf|env|toml|tfvars|tf|hcl|json|jsonc|sh|bash|zsh|ksh|fish|ps1|bat|cmd|md|txt|xml|plist|envrc|npmrc|bashrc|zshrc|profile|service|tpl|j2|example|sample|dist)$|(?:^|\/)(?:Dockerfile[^/]*|Containerfile|Makefile|Procfile|Jenkinsfile|[^/]*\.env\.[^/]*)$/i;

export function isConfigFile(path: string): boolean {
  return CONFIG_FILE.test(path);
}

/**
 * One `key <sep> value` line of configuration: an optional list dash, `export`/`set`/`ENV`, the key
 * (bare or quoted), `:` or `=`, the rest. The value is read by readValue.
 */
const CONFIG_LINE = /^[ \t]*(?:-[ \t]+)?(?:(?:export|set|setx|ENV|ARG|\$env:)[ \t]+)?(["']?)([A-Za-z_][\w.\-[\]]*)\1[ \t]*(?::|=|:=)[ \t]*/;

interface Value {
  start: number;
  end: number;
}

/** The value after a separator: a quoted string, or a bare run up to an inline comment or the end. */
function readValue(line: string, from: number): Value | undefined {
  const quote = line[from];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = line.indexOf(quote, from + 1);
    return end > from + 1 ? { start: from + 1, end } : undefined;
  }
  const rest = line.slice(from);
  // YAML block scalars, flow collections and empty values hold no scalar on this line.
  if (rest === '' || /^[|>[{&*]/.test(rest)) return undefined;
  // An inline comment starts at ` #`/` ;`; then trailing blanks and a comma go (linear: no backtracking).
  const comment = rest.search(/[ \t][#;]/);
  let end = comment < 0 ? rest.length : comment;
  while (end > 0 && /[ \t,]/.test(rest[end - 1]!)) end--;
  return end > 0 ? { start: from, end: from + end } : undefined;
}

/**
 * A quoted literal assigned to a name in code: `password = "…"`, `"clientSecret": '…'`, `token: \`…\``.
 * The name starts at an identifier boundary and is bounded, so a long run of word characters is
 * scanned once, not once per position (a repository's file must not stall the scan).
 */
const CODE_ASSIGNMENT = /(?<![\w$./@-])([A-Za-z_$][\w$.-]{0,80})["']?[ \t]*(?:[:=]|:=|=>)[ \t]*(["'`])([^"'`\s\\]{1,1000})\2/g;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function configAssignments(text: string, out: SecretRange[]): void {
  const starts = lineStarts(text);
  for (const start of starts) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    const m = CONFIG_LINE.exec(line);
    if (!m) continue;
    const value = readValue(line, m[0].length);
    if (!value) continue;
    const raw = line.slice(value.start, value.end);
    if (isSecretAssignment(m[2]!, raw, 6)) out.push({ start: start + value.start, end: start + value.end, kind: 'secret-assignment' });
  }
}

function codeAssignments(text: string, out: SecretRange[]): void {
  for (const m of text.matchAll(CODE_ASSIGNMENT)) {
    const value = m[3]!;
    if (isCodeConstant(m[1]!, value) || !isSecretAssignment(m[1]!, value, 8)) continue;
    const start = m.index + m[0].length - 1 - value.length;
    out.push({ start, end: start + value.length, kind: 'secret-assignment' });
  }
}

/**
 * Kubernetes Secrets: every value under `data:`/`stringData:` of a `kind: Secret` document (the keys
 * are free-form, `tls.key`, `config.json`, …), block scalars included.
 */
function kubernetesSecrets(text: string, out: SecretRange[]): void {
  let offset = 0;
  for (const doc of text.split(/^(?=---)/m)) {
    if (/^kind:[ \t]*["']?Secret["']?[ \t]*$/m.test(doc)) secretDataValues(doc, offset, out);
    offset += doc.length;
  }
}

function secretDataValues(doc: string, offset: number, out: SecretRange[]): void {
  const lines = doc.split('\n');
  let pos = offset;
  let dataIndent = -1; // indent of the `data:` line we are under, -1 when outside
  let blockIndent = -1; // indent of a block scalar's key, -1 when not inside one
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '';
    if (!blank && dataIndent >= 0 && indent <= dataIndent) dataIndent = -1;
    if (!blank && blockIndent >= 0 && indent <= blockIndent) blockIndent = -1;
    if (blockIndent >= 0 && !blank) {
      out.push({ start: pos + indent, end: pos + line.replace(/\r$/, '').length, kind: 'kubernetes-secret' });
    } else if (dataIndent >= 0 && !blank) {
      const m = /^[ \t]*["']?[\w.-]+["']?[ \t]*:[ \t]*/.exec(line);
      if (m) {
        const rest = line.slice(m[0].length).replace(/\r$/, '');
        if (/^[|>]/.test(rest)) blockIndent = indent;
        else {
          const value = readValue(line.replace(/\r$/, ''), m[0].length);
          if (value) out.push({ start: pos + value.start, end: pos + value.end, kind: 'kubernetes-secret' });
        }
      }
    } else if (/^[ \t]*(?:data|stringData):[ \t]*$/.test(line.replace(/\r$/, ''))) dataIndent = indent;
    pos += line.length + 1;
  }
}

/** Terraform: `variable "db_password" { … default = "…" }` — the default of a secret-named variable. */
function terraformDefaults(text: string, out: SecretRange[]): void {
  for (const m of text.matchAll(/variable[ \t]+"([\w-]{1,120})"[ \t]*\{[^}]{0,2000}?\bdefault[ \t]*=[ \t]*"([^"\n]{1,1000})"/g)) {
    const [, name, value] = m;
    if (!isSecretAssignment(name!, value!, 1)) continue;
    const start = m.index + m[0].length - 1 - value!.length;
    out.push({ start, end: start + value!.length, kind: 'terraform-secret' });
  }
}

/** XML settings (Maven `settings.xml`, .NET, Spring): `<password>…</password>`, `<add key="ApiKey" value="…"/>`. */
function xmlValues(text: string, out: SecretRange[]): void {
  for (const m of text.matchAll(/<([\w.:-]+)>([^<\n]{4,})<\/\1>/g)) {
    const [, name, value] = m;
    if (!isSecretAssignment(name!, value!.trim(), 6)) continue;
    const start = m.index + name!.length + 2;
    out.push({ start, end: start + value!.length, kind: 'secret-assignment' });
  }
  for (const m of text.matchAll(/\bkey="([^"]+)"[ \t]+value="([^"\n]+)"/g)) {
    const [, name, value] = m;
    if (!isSecretAssignment(name!, value!, 6)) continue;
    const start = m.index + m[0].length - 1 - value!.length;
    out.push({ start, end: start + value!.length, kind: 'secret-assignment' });
  }
}

/** `Password=…;` inside connection strings (ADO.NET, ODBC, JDBC properties). */
function connectionStringPasswords(text: string, out: SecretRange[]): void {
  for (const m of text.matchAll(/\b(?:Password|Pwd|PWD|password|pwd)=([^;"'\s&]{4,})/g)) {
    const value = m[1]!;
    if (isPlaceholder(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ start, end: start + value.length, kind: 'connection-string-password' });
  }
}

/** Bare high-entropy values after `=`/`:` in configuration are caught by gitleaks' generic rule. */
export function detectSecretAssignments(path: string, text: string): SecretRange[] {
  const out: SecretRange[] = [];
  if (isConfigFile(path)) configAssignments(text, out);
  codeAssignments(text, out);
  kubernetesSecrets(text, out);
  if (/\.(?:tf|hcl|tfvars)$/i.test(path)) terraformDefaults(text, out);
  if (/\.(?:xml|config|csproj|props)$/i.test(path)) xmlValues(text, out);
  connectionStringPasswords(text, out);
  return out;
}
