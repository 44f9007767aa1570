/**
 * The Lua scripts of the Redis quota ledger (redisLedger.ts). Redis runs a script atomically: no other
 * client's command runs between its first and last line, which is what makes an admission across
 * machines exact — read the window, decide, add ours, in one step.
 *
 * Layout per destination-model (and clock scale): two keys, `…:z` a sorted set of reservation ids
 * scored by the time the service counts them from (`at`, emulated ms on the writers' clock), and `…:t`
 * a hash of id → tokens. An id is `<random instance id>.<sequence>`: nothing about code, paths or
 * credentials. Both keys expire (PEXPIRE) a little after the newest entry would leave the window, so
 * an abandoned destination leaves nothing behind; entries inside carry their own time and are pruned
 * by every script.
 *
 * Every script replies with the live window (ids, times, tokens), so the caller's mirror of the others'
 * reservations is refreshed by each reply as well as by its periodic peek.
 */

/** Answers a published ratio must rest on before other instances start from it. */
export const MIN_OBSERVED = 3;

/** Shared head: prune what left the window (`now - span`), then read what is left. */
const PRUNE_AND_READ = `
local z, t = KEYS[1], KEYS[2]
local now, span = tonumber(ARGV[1]), tonumber(ARGV[2])
local horizon = now - span
-- Entries at or before the horizon left the window: drop them from both keys (in slices, since
-- unpack() is limited in how many values it spreads).
local old = redis.call('ZRANGEBYSCORE', z, '-inf', horizon)
for i = 1, #old, 500 do
  redis.call('HDEL', t, unpack(old, i, math.min(i + 499, #old)))
end
redis.call('ZREMRANGEBYSCORE', z, '-inf', horizon)
-- The live window, oldest first: id, at, id, at, ...
local live = redis.call('ZRANGE', z, 0, -1, 'WITHSCORES')
local tokens = {}
local used = 0
for i = 1, #live, 2 do
  local n = tonumber(redis.call('HGET', t, live[i]) or '0') or 0
  tokens[#tokens + 1] = n
  used = used + n
end
local count = #live / 2
-- The reply's window: {id, at, tokens} flattened (strings: Lua numbers would be truncated to integers).
local function window()
  local out = {}
  for i = 1, #live, 2 do
    out[#out + 1] = live[i]
    out[#out + 1] = live[i + 1]
    out[#out + 1] = tostring(tokens[(i + 1) / 2])
  end
  return out
end
local function keep(ttl)
  redis.call('PEXPIRE', z, ttl)
  redis.call('PEXPIRE', t, ttl)
end
`;

/**
 * ADMIT KEYS: z, t. ARGV: now, span, tokenLimit, requestLimit (0 = none), id, at, tokens, ttlMs.
 * Adds the reservation when it fits under the limits the caller passes (its lane's share of its learned
 * quota), exactly as QuotaWindow.waitFor decides locally: a need above the limit fits an empty window
 * only. Reply: {1, window} when added, else {0, window, wait} with the emulated ms until it would fit.
 */
export const ADMIT = `${PRUNE_AND_READ}
local limit, requests = tonumber(ARGV[3]), tonumber(ARGV[4])
local id, at, need = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local fitNeed = math.min(need, limit)
local function fits(u, c)
  return u + fitNeed <= limit and (requests <= 0 or c + 1 <= requests)
end
if fits(used, count) then
  redis.call('ZADD', z, at, id)
  redis.call('HSET', t, id, tostring(need))
  keep(tonumber(ARGV[8]))
  return {1, window()}
end
-- Refused: how long until enough of the oldest entries have left the window.
local wait = 0
local u, c = used, count
for i = 1, #live, 2 do
  u = u - tokens[(i + 1) / 2]
  c = c - 1
  if fits(u, c) then
    wait = math.max(1, tonumber(live[i + 1]) + span - now)
    break
  end
end
return {0, window(), tostring(wait)}
`;

/**
 * UPSERT KEYS: z, t. ARGV: now, span, id, at, tokens, ttlMs. A reservation of ours changed: restamped
 * (moved to when the service counted it), settled (the real usage; 0 for a refused call), or it was
 * made while Redis was away and is published now that it is back. An entry already outside the window
 * is not added. Reply: {window}.
 */
export const UPSERT = `${PRUNE_AND_READ}
local id, at, n = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if at > horizon then
  redis.call('ZADD', z, at, id)
  redis.call('HSET', t, id, tostring(n))
  keep(tonumber(ARGV[6]))
end
return {window()}
`;

/**
 * PEEK KEYS: z, t, q, c. ARGV: now, span, instance, quota, freshMs, ttlMs (real), ratio, observed. The
 * periodic refresh: prunes, publishes this instance's learned effective quota (hash q: instance →
 * "quota time") and token ratio with the number of answers it rests on (hash c: instance → "ratio
 * observed time", only once it rests on one), and replies with the window, the smallest fresh quota
 * any other instance learned (0 when none is fresh), and the median of the fresh ratios other
 * instances learned from at least MIN_OBSERVED answers (0 when none).
 */
export const PEEK = `${PRUNE_AND_READ}
local q, instance, quota, fresh = KEYS[3], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local c, ratio, observed = KEYS[4], tonumber(ARGV[7]), tonumber(ARGV[8])
if ratio and observed and ratio > 0 and observed >= 1 then
  redis.call('HSET', c, instance, tostring(ratio) .. ' ' .. tostring(observed) .. ' ' .. tostring(now))
  redis.call('PEXPIRE', c, tonumber(ARGV[6]))
end
local ratios = {}
local cal = redis.call('HGETALL', c)
for i = 1, #cal, 2 do
  local r, n, stamp = string.match(cal[i + 1], '^(%S+) (%S+) (%S+)$')
  r, n, stamp = tonumber(r), tonumber(n), tonumber(stamp)
  if cal[i] ~= instance and r and n and stamp then
    if now - stamp > fresh then
      redis.call('HDEL', c, cal[i])
    elseif n >= ${MIN_OBSERVED} then
      ratios[#ratios + 1] = r
    end
  end
end
local middle = 0
if #ratios > 0 then
  table.sort(ratios)
  local m = math.floor((#ratios + 1) / 2)
  middle = (#ratios % 2 == 1) and ratios[m] or (ratios[m] + ratios[m + 1]) / 2
end
if quota > 0 then
  redis.call('HSET', q, instance, tostring(quota) .. ' ' .. tostring(now))
  redis.call('PEXPIRE', q, tonumber(ARGV[6]))
end
local lowest = 0
local all = redis.call('HGETALL', q)
for i = 1, #all, 2 do
  local value, stamp = string.match(all[i + 1], '^(%S+) (%S+)$')
  value, stamp = tonumber(value), tonumber(stamp)
  if all[i] ~= instance and value and stamp then
    if now - stamp > fresh then
      redis.call('HDEL', q, all[i])
    elseif lowest == 0 or value < lowest then
      lowest = value
    end
  end
end
return {window(), tostring(lowest), tostring(middle)}
`;
