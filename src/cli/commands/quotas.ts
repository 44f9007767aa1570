/**
 * `chorus quotas`: the account's applied Bedrock quotas (tokens per minute and per day, requests per minute) for the
 * configured models, read through Service Quotas, beside the configured values. `--json` for
 * scripts; `--write FILE` puts the account's tokens per minute into that config file — a file the
 * user names, and never one inside the current folder (the repository) unless `--write-in-repo`.
 */
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { loadConfig, parseConfig } from '../../core/config';
import type { ChorusConfig } from '../../core/config/types';
import { readAccountQuotas, type AccountModelQuota } from '../../core/quotas/account';
import { writeAccountQuotas } from '../../core/quotas/write';
import { terminalSafeLine } from '../../core/text';
import { runCli } from './analyze';
import { applyFlags, CliError, type EngineFlags } from './engineSetup';

interface QuotaFlags extends Pick<EngineFlags, 'config' | 'region' | 'profile' | 'endpoint' | 'trustRepoConfig'> {
  json?: boolean;
  write?: string;
  writeInRepo?: boolean;
}

export interface QuotaRow {
  modelId: string;
  scope: AccountModelQuota['scope'];
  configuredTokensPerMinute: number;
  /** True when the config left tokensPerMinute out, so a run uses the account's value. */
  fromAccount: boolean;
  accountTokensPerMinute?: number;
  accountTokensPerDay?: number;
  /** The account's requests-per-minute quota of the model's scope, where it lists one. */
  accountRequestsPerMinute?: number;
  quotaName?: string;
  quotaCode?: string;
  missing?: string;
}

export function quotaRows(config: ChorusConfig, quotas: readonly AccountModelQuota[]): QuotaRow[] {
  return config.models.map((m) => {
    const q = quotas.find((x) => x.modelId === m.id);
    return {
      modelId: m.id,
      scope: q?.scope ?? 'on-demand',
      configuredTokensPerMinute: m.tokensPerMinute,
      fromAccount: m.tokensPerMinuteFromAccount === true,
      ...(q?.tokensPerMinute ? { accountTokensPerMinute: q.tokensPerMinute.value, quotaName: q.tokensPerMinute.name, ...(q.tokensPerMinute.code ? { quotaCode: q.tokensPerMinute.code } : {}) } : {}),
      ...(q?.tokensPerDay ? { accountTokensPerDay: q.tokensPerDay.value } : {}),
      ...(q?.requestsPerMinute ? { accountRequestsPerMinute: q.requestsPerMinute.value } : {}),
      ...(q?.missing ? { missing: q.missing } : {}),
    };
  });
}

const n = (v: number | undefined) => (v === undefined ? '-' : v.toLocaleString('en-US'));

/** The table as text; every value from the config or the service is made terminal-safe. */
export function formatQuotaRows(rows: readonly QuotaRow[]): string {
  const header = ['model', 'scope', 'configured TPM', 'account TPM', 'account TPD', 'account RPM', 'quota code'];
  const body = rows.map((r) => [
    terminalSafeLine(r.modelId), r.scope, `${n(r.configuredTokensPerMinute)}${r.fromAccount ? ' (default)' : ''}`,
    n(r.accountTokensPerMinute), n(r.accountTokensPerDay), n(r.accountRequestsPerMinute), terminalSafeLine(r.quotaCode ?? '-'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = rows.flatMap((r) => {
    const out: string[] = [];
    if (r.missing) out.push(`${terminalSafeLine(r.modelId)}: ${terminalSafeLine(r.missing)}`);
    if (r.accountTokensPerMinute !== undefined && !r.fromAccount && r.accountTokensPerMinute < r.configuredTokensPerMinute) {
      out.push(`${terminalSafeLine(r.modelId)}: configured ${n(r.configuredTokensPerMinute)} TPM is above the account's ${n(r.accountTokensPerMinute)}; expect throttles (chorus quotas --write FILE updates it)`);
    }
    if (r.accountTokensPerMinute === 0) out.push(`${terminalSafeLine(r.modelId)}: the account's quota is 0 (the model cannot be called; request an increase in Service Quotas)`);
    return out;
  });
  if (rows.some((r) => r.fromAccount)) notes.unshift("(default): the config leaves tokensPerMinute out, so a run uses the account's value and this one only if the account's cannot be read");
  return [line(header), ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

async function isInside(root: string, path: string): Promise<boolean> {
  const real = async (p: string) => realpath(p).catch(() => resolve(p));
  const rel = relative(await real(root), await real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function writeInto(file: string, quotas: readonly AccountModelQuota[]): Promise<string[]> {
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`${file}: expected a JSON object`);
    json = parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof CliError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`Cannot update ${file}: ${(err as Error).message}`);
  }
  const { models, changed } = writeAccountQuotas(json.models, quotas);
  if (changed.length === 0) return [];
  const next = { ...json, models };
  parseConfig(next, file); // never write a file that would no longer load
  await writeFile(file, `${JSON.stringify(next, null, 2)}\n`);
  return changed;
}

export function quotasCommand(): Command {
  return new Command('quotas')
    .description("Show the account's applied Bedrock quotas (tokens per minute and per day) for the configured models.")
    .option('--config <file>', 'configuration file (default: ./chorus.config.json)')
    .option('--trust-repo-config', 'let a config file inside this folder choose the endpoint, region and profile')
    .option('--region <region>', 'AWS region (default: config, AWS_REGION, us-east-1)')
    .option('--profile <name>', 'AWS profile')
    .option('--endpoint <url>', 'custom endpoint serving Service Quotas (the emulator)')
    .option('--json', 'print JSON')
    .option('--write <file>', "write the account's tokens per minute into this config file")
    .option('--write-in-repo', '--write may update a file inside the current folder (a repository config)')
    .action(async (flags: QuotaFlags) => {
      process.exitCode = await runCli(async () => {
        const cwd = process.cwd();
        if (flags.write !== undefined && !flags.writeInRepo && (await isInside(cwd, resolve(cwd, flags.write)))) {
          throw new CliError(`--write ${flags.write} is inside the current folder (a repository's config, which a commit would share): pass --write-in-repo to update it, or name your user config file.`);
        }
        const loaded = await loadConfig(cwd, { ...(flags.config !== undefined ? { file: flags.config } : {}), trustRepoConfig: flags.trustRepoConfig === true });
        const config = applyFlags(loaded.config, flags);
        const quotas = await readAccountQuotas(
          { region: config.region, ...(config.profile ? { profile: config.profile } : {}), ...(config.endpoint ? { endpoint: config.endpoint } : {}) },
          config.models.map((m) => m.id),
        );
        const rows = quotaRows(config, quotas);
        if (flags.json) process.stdout.write(`${JSON.stringify({ region: config.region, models: rows }, null, 2)}\n`);
        else process.stdout.write(`${formatQuotaRows(rows)}\n`);
        if (flags.write !== undefined) {
          const file = resolve(cwd, flags.write);
          const changed = await writeInto(file, quotas);
          process.stderr.write(`chorus: ${changed.length === 0 ? 'nothing to change in' : `wrote tokensPerMinute of ${changed.map(terminalSafeLine).join(', ')} to`} ${terminalSafeLine(file)}\n`);
        }
        return 0;
      });
    });
}
