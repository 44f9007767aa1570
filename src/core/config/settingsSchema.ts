/**
 * Every `chorus.*` setting in one list: the VS Code setting's JSON Schema (type, default, enum,
 * description) as TypeBox, its scope and order, where it goes, and its row in the README. package.json's
 * `contributes.configuration` and the README's settings table are generated from it
 * (`npm run schema:sync`; test/unit/schema/settingsDrift.test.ts fails when they disagree).
 *
 * A setting either maps onto a field of chorus.config.json (`config`: the engine's config, checked
 * by parseConfig with ConfigFileSchema) or is read by the extension host only (`host`: triggers,
 * display, consent). `chorus.models` is ModelSchema itself, so the settings editor accepts exactly
 * what parseConfig does.
 */
import { CATEGORIES } from '../findings/category';
import { StringEnum, Type, type TSchema } from '../schema';
import { ModelSchema } from './schema';

export const DIAGNOSTIC_LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
export const LARGE_BURST = ['ask', 'analyze', 'skip'] as const;
const level = () => Type.Optional(StringEnum(DIAGNOSTIC_LEVELS));

/** Where a setting's value goes: a chorus.config.json field (dotted for nested ones) or the host. */
export type SettingTarget = { config: string; host?: never } | { host: true; config?: never };

export type Setting = SettingTarget & {
  /** Without the `chorus.` prefix. */
  key: string;
  /** `machine`: where code goes and consent; a workspace cannot set them. */
  scope: 'machine' | 'resource';
  /** Place in the Settings editor. */
  order: number;
  /** Listed in capabilities.untrustedWorkspaces.restrictedConfigurations. */
  restricted?: true;
  schema: TSchema;
  /** The README table's "meaning" cell, Markdown; `{fields}` is replaced by the model fields. */
  readme: string;
};

/** In the README's order; package.json lists them the same way. */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'models', scope: 'resource', order: 1, config: 'models', restricted: true,
    schema: Type.Array(ModelSchema, { default: [], markdownDescription: 'Bedrock models to analyze with, each with its own quota. Empty = the defaults (Nova Pro 100k tokens/min, Llama 3.3 70B 60k tokens/min) or the folder\'s `chorus.config.json`. Complex groups go to the model with the highest `minComplexity` not above their score.' }),
    readme: 'Models to analyze with, each {fields}. Empty = the defaults (Nova Pro 100k tokens/min, Llama 3.3 70B 60k tokens/min) or the folder\'s `chorus.config.json`. `maxOutputTokens` never goes above Bedrock\'s limit for known models (Nova 5,000, Llama 3.x 4,096); a larger value is clamped with a warning. `outputBurndown`: quota tokens one output token burns (5 for Claude 3.7 Sonnet and the Claude 4 family, else 1). `tokensPerMinute` may be left out: a run then uses the account\'s applied quota (read through Service Quotas once per destination; the known default, with one warning, if it cannot be read); one configured above the applied quota is lowered to it, with a warning. `requestsPerMinute` left out: the account\'s, else learned from “Too many requests” throttles. `serviceTier: { interactive?, background? }` = `default` | `priority` | `flex` (Flex about half price and slower under load, Priority costs more, same quota; only for models that serve them, such as Nova Pro and Nova Premier, not Llama 3.3; a model that refuses its tier falls back to Standard). Default: Standard.',
  },
  {
    key: 'region', scope: 'machine', order: 2, config: 'region',
    schema: Type.String({ default: '', markdownDescription: 'AWS region of Bedrock, e.g. `us-west-2`. Empty = `us-east-1`. Machine setting: never read from workspace files (a `region` in chorus.config.json is ignored by the extension).' }),
    readme: 'AWS region of Bedrock, e.g. `us-west-2`. Empty = `us-east-1` (the CLI: `--region`, then `AWS_REGION`).',
  },
  {
    key: 'profile', scope: 'machine', order: 3, config: 'profile',
    schema: Type.String({ default: '', markdownDescription: 'AWS profile for credentials (from `~/.aws/config`). Empty = the SDK\'s default chain. Credentials themselves are never stored in settings.' }),
    readme: 'AWS profile for credentials. Empty = the SDK\'s default chain. Credentials are never stored in settings.',
  },
  {
    key: 'endpoint', scope: 'machine', order: 4, config: 'endpoint',
    schema: Type.String({ default: '', markdownDescription: 'Custom Bedrock Runtime endpoint (a VPC endpoint, or the Chorus emulator such as `http://127.0.0.1:4000`). Empty = the public Bedrock endpoint of the region. Machine setting: never read from workspace files.' }),
    readme: 'Custom Bedrock Runtime endpoint (a VPC endpoint, or the Chorus emulator such as `http://127.0.0.1:4000`).',
  },
  {
    key: 'askBeforeSending', scope: 'machine', order: 5, host: true,
    schema: Type.Boolean({ default: true, markdownDescription: 'Ask once per workspace (and destination) before any code is sent. Turn off only on machines where sending code to the configured endpoint/region is already agreed (CI, a company-managed Bedrock account). Machine setting: a workspace cannot turn it off. Untrusted workspaces never send code either way.' }),
    readme: 'Ask once per workspace and destination before any code is sent.',
  },
  {
    key: 'sharedQuota.url', scope: 'machine', order: 4, host: true,
    schema: Type.String({ default: '', markdownDescription: 'Redis that shares the account\'s quotas with every Chorus on it (teammates, CI runners): `redis://[user:password@]host[:port]` or `rediss://…` (TLS). Only token counts, times and a random id are stored there. Empty = shared on this machine only. Machine setting: never read from workspace files; the password is never logged.' }),
    readme: 'Redis that shares the account\'s quotas with every Chorus on it (teammates, CI runners): `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). Only token counts, times and a random id are stored. Empty = shared on this machine only. CLI: `--shared-quota URL` or `CHORUS_SHARED_QUOTA_URL`.',
  },
  {
    key: 'analyzeOnSave', scope: 'resource', order: 10, host: true,
    schema: Type.Boolean({ default: true, description: 'Analyze a file when it is saved (interactive lane: ahead of background work).' }),
    readme: 'Analyze a file when it is saved (interactive lane).',
  },
  {
    key: 'watch.enabled', scope: 'resource', order: 11, host: true,
    schema: Type.Boolean({ default: true, description: 'Analyze files changed outside the editor (checkout, pull, generators), coalesced into one background run per burst.' }),
    readme: 'Analyze files changed outside the editor, coalesced into one background run per burst.',
  },
  {
    key: 'watch.quietMs', scope: 'resource', order: 12, host: true,
    schema: Type.Number({ default: 1500, minimum: 0, description: 'A burst of outside changes is analyzed once no change arrived for this many milliseconds.' }),
    readme: 'A burst is analyzed once no change arrived for this many milliseconds.',
  },
  {
    key: 'watch.maxWaitMs', scope: 'resource', order: 13, host: true,
    schema: Type.Number({ default: 10000, minimum: 0, description: 'A burst that keeps going is analyzed at the latest this many milliseconds after its first change.' }),
    readme: '… and at the latest this many milliseconds after its first change.',
  },
  {
    key: 'watch.burstThreshold', scope: 'resource', order: 14, host: true,
    schema: Type.Number({ default: 200, minimum: 1, description: 'A burst of more files than this (a branch switch) follows chorus.watch.largeBurst.' }),
    readme: 'A burst of more files than this (a branch switch) follows `chorus.watch.largeBurst`.',
  },
  {
    key: 'watch.largeBurst', scope: 'resource', order: 15, host: true,
    schema: StringEnum(LARGE_BURST, { default: 'ask', enumDescriptions: ['Ask before analyzing (shows the estimate).', 'Analyze it; the budget settings cap what it spends.', 'Do not analyze large bursts automatically.'], description: 'What to do with a burst larger than chorus.watch.burstThreshold.' }),
    readme: '`ask`, `analyze` (within the budget) or `skip` for bursts over the threshold.',
  },
  {
    key: 'confirmWorkspaceAboveFiles', scope: 'resource', order: 16, host: true,
    schema: Type.Number({ default: 100, minimum: 0, description: 'Analyze Workspace shows a token and cost estimate and asks first when more files than this would be sent (cached files do not count).' }),
    readme: 'Analyze Workspace shows an estimate and asks first above this many uncached files.',
  },
  {
    key: 'include', scope: 'resource', order: 20, config: 'include', restricted: true,
    schema: Type.Array(Type.String(), { default: [], description: 'Glob patterns of files to analyze (relative to the folder). Empty = every text file not ignored.' }),
    readme: 'Glob patterns to analyze. Empty = every text file not ignored.',
  },
  {
    key: 'exclude', scope: 'resource', order: 21, config: 'exclude', restricted: true,
    schema: Type.Array(Type.String(), { default: [], description: 'Glob patterns to skip, in addition to .gitignore.' }),
    readme: 'Glob patterns to skip, in addition to `.gitignore`.',
  },
  {
    key: 'maxFileKb', scope: 'resource', order: 22, config: 'maxFileKb', restricted: true,
    schema: Type.Number({ default: 512, minimum: 1, description: 'Files larger than this (KB) are skipped with a reason.' }),
    readme: 'Larger files are skipped with a reason.',
  },
  {
    key: 'severity', scope: 'resource', order: 30, host: true,
    schema: Type.Object({ error: level(), warning: level(), info: level() }, { additionalProperties: false, default: { error: 'error', warning: 'warning', info: 'information' }, markdownDescription: 'How model severities show in the Problems panel (`off` hides them).' }),
    readme: 'How model severities show in the Problems panel (`off` hides them).',
  },
  {
    key: 'budget.maxTokens', scope: 'resource', order: 40, config: 'budget.maxTokens', restricted: true,
    schema: Type.Number({ default: 0, minimum: 0, description: 'Stop dispatching a run once it charged this many tokens (0 = no limit). The rest is reported as skipped.' }),
    readme: 'Stop dispatching a run after this many tokens (0 = no limit); the rest is reported as skipped.',
  },
  {
    key: 'budget.maxCost', scope: 'resource', order: 41, config: 'budget.maxCost', restricted: true,
    schema: Type.Number({ default: 0, minimum: 0, description: 'Stop dispatching a run once its estimated cost reaches this many USD (0 = no limit).' }),
    readme: 'Stop dispatching a run at this estimated cost in USD (0 = no limit).',
  },
  {
    key: 'spillover', scope: 'resource', order: 42, config: 'spillover',
    schema: Type.Boolean({ default: true, description: 'Let a batch move to another model when its preferred model\'s backlog would finish later.' }),
    readme: 'Let a batch move to another model when its preferred model\'s backlog would finish later.',
  },
  {
    key: 'baselinePath', scope: 'resource', order: 50, host: true, restricted: true,
    schema: Type.String({ default: '.chorus/baseline.json', description: 'Baseline file (written by `chorus baseline`), relative to the folder: its findings are not shown.' }),
    readme: 'Baseline file (from `chorus baseline`) whose findings are not shown.',
  },
  {
    key: 'instructions', scope: 'resource', order: 51, config: 'instructions', restricted: true,
    schema: Type.String({ default: '', description: 'Extra instructions added to every prompt (what to look for).' }),
    readme: 'Extra guidance added to every prompt (after the repository\'s rule files, see below).',
  },
  {
    key: 'minSeverity', scope: 'resource', order: 31, host: true,
    schema: StringEnum(['info', 'warning', 'error'], { default: 'info', markdownDescription: 'Show only findings at or above this severity (the CLI\'s `--min-severity`). Hidden findings stay cached: changing this costs no tokens.' }),
    readme: 'Show only findings at or above this severity (CLI `--min-severity`). Hidden findings stay cached; changing it costs no tokens.',
  },
  {
    key: 'maxFindingsPerFile', scope: 'resource', order: 32, host: true,
    schema: Type.Number({ default: 0, minimum: 0, markdownDescription: 'Show at most this many findings per file, the most severe first (0 = no cap; the CLI\'s `--max-findings-per-file`).' }),
    readme: 'At most N findings per file, the most severe first; 0 = no cap (CLI `--max-findings-per-file`).',
  },
  {
    key: 'hiddenCategories', scope: 'resource', order: 33, host: true,
    schema: Type.Array(StringEnum(CATEGORIES), { uniqueItems: true, default: [], markdownDescription: 'Finding categories not shown (the CLI\'s `--hide-category`). The category is read from the rule id: `no-eval` is security, `empty-catch` error-handling, `todo-comment` maintainability; unknown ids are `other`.' }),
    readme: 'Categories not shown: `security`, `bug`, `error-handling`, `performance`, `maintainability`, `other`, read from the rule id (CLI `--hide-category a,b`).',
  },
];

/** `chorus.<key>` of a setting. */
export const settingName = (setting: Setting): string => `chorus.${setting.key}`;
