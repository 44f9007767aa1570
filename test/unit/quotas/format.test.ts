/** `chorus quotas`'s table: values from the config and the service are printed as data, and the notes say what to do. */
import assert from 'node:assert/strict';
import { formatQuotaRows, type QuotaRow } from '../../../src/cli/commands/quotas';

describe('quotas: the terminal table', () => {
  it('neutralizes escape sequences and workflow commands in model ids and quota codes', () => {
    const rows: QuotaRow[] = [{ modelId: 'evil\u001b]52;c;bad\u0007\n::error::x', scope: 'on-demand', configuredTokensPerMinute: 10, fromAccount: false, accountTokensPerMinute: 5, quotaCode: 'L-\u009b31m' }];
    const text = formatQuotaRows(rows);
    assert.ok(![...'\u001b\u0007\u009b'].some((c) => text.includes(c)), 'no raw control character');
    assert.doesNotMatch(text, /^::/m);
    assert.match(text, /configured 10 TPM is above the account's 5; expect throttles/);
  });

  it('says which values are defaults the account replaces, and when the account quota is 0', () => {
    const text = formatQuotaRows([
      { modelId: 'a', scope: 'cross-region', configuredTokensPerMinute: 100_000, fromAccount: true, accountTokensPerMinute: 0 },
      { modelId: 'b', scope: 'on-demand', configuredTokensPerMinute: 1_000, fromAccount: false, missing: 'the account lists no on-demand tokens-per-minute quota for B' },
    ]);
    assert.match(text, /100,000 \(default\)/);
    assert.match(text, /a: the account's quota is 0/);
    assert.match(text, /b: the account lists no on-demand/);
    assert.match(text, /\(default\): the config leaves tokensPerMinute out/);
  });
});
