/**
 * Issue 18 item 2 and 4: the status bar says what blocks Chorus (icon, tooltip, click) instead of
 * "✓ Chorus"; Test Connection is one short line with the latency once; VS Code users are told the
 * setting, never a CLI flag.
 */
import { strict as assert } from 'node:assert';
import type { ConnectionReport } from '../../../src/core/engine/api';
import { shortDetail, summarizeConnection } from '../../../src/extension/commands/connectionSummary';
import { forVsCodeUser } from '../../../src/extension/notify/wording';
import { blockerOf, blockerView } from '../../../src/extension/status/blocker';
import { formatStatus } from '../../../src/extension/status/formatStatus';

const base = { trusted: true, paused: false, waiting: 0, activeRuns: 0, snapshots: [] };
const CREDS_HELP = 'No usable AWS credentials were found. Chorus uses the AWS SDK default credential chain; any of these works:\n  • a profile: pass --profile NAME (or set AWS_PROFILE); for SSO run `aws sso login --profile NAME`';

describe('status bar honesty', () => {
  it('after a credentials error: a key icon, the reason, and a click that tests the connection again', () => {
    const view = formatStatus({ ...base, blocked: blockerOf('credentials', `CredentialsError: ${CREDS_HELP}`) });
    assert.equal(view.state, 'blocked');
    assert.equal(view.text, '$(key) Chorus: no credentials');
    assert.doesNotMatch(view.text, /\$\(check\)/);
    assert.equal(view.command.command, 'chorus.testConnection');
    assert.match(view.tooltip, /no reload needed/);
    assert.doesNotMatch(view.tooltip, /--profile NAME \(/, 'the CLI flag advice is not shown to a VS Code user');
  });

  it('after "Don\'t Allow": says so, and a click asks again', () => {
    const view = formatStatus({ ...base, blocked: { kind: 'declined', detail: 'Amazon Bedrock in us-east-1' } });
    assert.equal(view.text, '$(circle-slash) Chorus: not allowed');
    assert.match(view.tooltip, /Don't Allow.*Amazon Bedrock in us-east-1/);
    assert.equal(view.command.command, 'chorus.resetConsent');
  });

  it('an endpoint nobody answers at: "every model failed" with "no model answered" reads as unreachable', () => {
    const detail = 'no model answered: nova (ECONNREFUSED) — the endpoint http://127.0.0.1:9 is unreachable or does not answer';
    const blocker = blockerOf('all-models-failed', detail);
    assert.equal(blocker.kind, 'unreachable');
    const view = blockerView(blocker);
    assert.equal(view.text, '$(debug-disconnect) Chorus: unreachable');
    assert.equal(view.command.command, 'chorus.testConnection');
    assert.equal(blockerOf('all-models-failed', 'ValidationException: bad').kind, 'all-models-failed');
  });

  it('invalid settings open the settings; running still shows progress; untrusted and idle keep their click', () => {
    const settings = formatStatus({ ...base, blocked: { kind: 'config', detail: 'models[0].id: expected a string' } });
    assert.deepEqual(settings.command, { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['chorus.'] });
    assert.equal(formatStatus({ ...base, activeRuns: 1, blocked: { kind: 'credentials', detail: 'x' } }).state, 'running');
    assert.equal(formatStatus({ ...base, trusted: false, blocked: { kind: 'credentials', detail: 'x' } }).state, 'restricted');
    assert.equal(formatStatus(base).command.command, 'chorus.showDashboard');
  });
});

describe('Test Connection line', () => {
  const ok = (model: string, ms: number): ConnectionReport => ({ model, ok: true, latencyMs: ms, detail: `reachable, authorized, quota 100,000 tokens/min configured (${ms} ms)` });

  it('every model answered: one line, each latency once', () => {
    const s = summarizeConnection([{ label: 'Nova Pro', report: ok('nova', 838) }, { label: 'Llama 3.3 70B', report: ok('llama', 912) }]);
    assert.equal(s.ok, true);
    assert.equal(s.message, 'Chorus: connected — Nova Pro 838 ms · Llama 3.3 70B 912 ms.');
    assert.equal(s.message.match(/838 ms/g)?.length, 1);
  });

  it('the same failure for several models is said once, with what to do and no CLI flag', () => {
    const refused: ConnectionReport = { model: 'x', ok: false, latencyMs: 3, detail: `CredentialsProviderError: Could not load credentials from any providers\n${CREDS_HELP}` };
    const s = summarizeConnection([{ label: 'Nova Pro', report: refused }, { label: 'Llama', report: { ...refused, model: 'y' } }]);
    assert.equal(s.ok, false);
    assert.equal(s.message.split('\n').length, 1, 'one line');
    assert.match(s.message, /^Chorus: Nova Pro, Llama: CredentialsProviderError: Could not load credentials from any providers — set chorus\.profile/);
    assert.doesNotMatch(s.message, /pass --profile/);
  });

  it('shortDetail drops a latency the detail already carries', () => {
    assert.equal(shortDetail('reachable, but throttled right now (ThrottlingException) (838 ms)'), 'reachable, but throttled right now (ThrottlingException)');
  });
});

describe('wording for VS Code users', () => {
  it('says the setting instead of "pass --profile NAME"; a terminal command stays as it is', () => {
    const out = forVsCodeUser(CREDS_HELP);
    assert.match(out, /set the chorus\.profile setting/);
    assert.match(out, /aws sso login --profile NAME/);
    assert.doesNotMatch(out, /pass --profile/);
    assert.equal(forVsCodeUser('pass --endpoint URL to use the emulator'), 'set the chorus.endpoint setting to use the emulator');
  });
});
