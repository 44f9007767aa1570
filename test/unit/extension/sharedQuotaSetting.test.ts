/**
 * Where the account's shared quota lives is the user's machine-level choice, like the endpoint: the
 * VS Code setting is read at the user (machine) level only, the CLI from its flag or environment, and
 * a repository's chorus.config.json cannot set it at all (it is not a config field).
 */
import { strict as assert } from 'node:assert';
import { CliError, sharedQuotaUrlOf } from '../../../src/cli/commands/engineSetup';
import { ConfigError, parseConfig } from '../../../src/core/config';
import { readSettings, toChorusConfig, type SettingsReader } from '../../../src/extension/settings/settings';

function reader(explicit: Record<string, unknown>, machine: Record<string, unknown> = {}): SettingsReader {
  return { explicit: (k) => explicit[k], machine: (k) => machine[k] };
}

describe('chorus.sharedQuota.url / --shared-quota', () => {
  it('is read from the machine level only, never from the workspace', () => {
    const url = 'rediss://chorus:pw@cache.internal:6380';
    assert.equal(readSettings(reader({}, { 'sharedQuota.url': ` ${url} ` })).settings.sharedQuotaUrl, url);
    assert.equal(readSettings(reader({ 'sharedQuota.url': 'redis://attacker.example' })).settings.sharedQuotaUrl, undefined);
    assert.equal(readSettings(reader({}, { 'sharedQuota.url': '' })).settings.sharedQuotaUrl, undefined);
  });

  it('a chorus.config.json that names it is an unknown field, not a way to redirect the ledger', () => {
    const { settings } = readSettings(reader({}), { sharedQuota: { url: 'redis://attacker.example' } });
    assert.equal(settings.sharedQuotaUrl, undefined);
    assert.throws(() => toChorusConfig(settings, parseConfig), ConfigError);
  });

  it('the CLI takes the flag over CHORUS_SHARED_QUOTA_URL, and refuses a bad one without printing it', () => {
    assert.equal(sharedQuotaUrlOf({ sharedQuota: 'redis://a:6379' }, { CHORUS_SHARED_QUOTA_URL: 'redis://b:6379' }), 'redis://a:6379');
    assert.equal(sharedQuotaUrlOf({}, { CHORUS_SHARED_QUOTA_URL: 'redis://b:6379' }), 'redis://b:6379');
    assert.equal(sharedQuotaUrlOf({}, {}), undefined);
    assert.throws(
      () => sharedQuotaUrlOf({ sharedQuota: 'http://user:topsecret1@host' }, {}),
      (err: Error) => err instanceof CliError && err.message.startsWith('--shared-quota:') && !err.message.includes('topsecret1'),
    );
  });
});
