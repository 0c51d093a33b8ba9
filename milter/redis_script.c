/* redis_script.c - the Lua scripts of the reputation: one reads and updates
 * one sender's record, rate counters and pupil contacts in one atomic round
 * trip; the other reads many records back for the quarantine UI */
#include "config.h"
#include "redis_script.h"

/* KEYS[1] record (hash)  KEYS[2] rate counters (hash)  KEYS[3] pupils the
 * sender has written to (set of hashed addresses; touched only for external
 * mail to pupils)  KEYS[4], for a message with a Message-ID or a body: set by
 * es_reputation_note_tempfail when this message (same Message-ID, body and
 * recipients) was tempfailed, so the MTA offering it again does not count
 * it again: its categories and first contact are counted once, its rate
 * share once it gets through, and the answer repeats the first attempt's
 * first_contact. Read once and deleted: a duplicate sent later counts.
 * ARGV[1] half-life ms  [2] clean TTL ms  [3] window ms  [4] limit per minute
 * [5] limit per hour (0: none)  [6] rate increment  [7] contact TTL ms
 * [8] N categories, then N (category, severity) pairs, then pupil hashes.
 * Returns { score*1000, first_seen_ms, new, messages*1000, first_contact,
 * contacts, rate_minute, rate_hour, limited (0, 1 minute, 2 hour),
 * now_ms, the pupil hashes this message added (space-separated), then
 * (category, count in window) pairs }.
 * Time comes from Redis (TIME), so several MTA nodes agree on it. */
const char es_redis_script[] =
"local t = redis.call('TIME')\n"
"local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
"local hl, ttl, win = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
"local lmin, lhour, incr = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])\n"
"local cttl, ncat = tonumber(ARGV[7]), tonumber(ARGV[8])\n"
/* rate: this fixed window plus the share of the previous one still inside a
 * sliding window, rounded up so a limit is never undercounted at a boundary;
 * a burst across a boundary is not counted twice as low */
"local rh = redis.call('HGETALL', KEYS[2])\n"
"local rf = {}\n"
"for i = 1, #rh, 2 do rf[rh[i]] = tonumber(rh[i + 1]) end\n"
"local function rate(len)\n"
"  local cur = math.floor(now / len)\n"
"  local c = rf['r' .. len .. ':' .. cur] or 0\n"
"  local p = rf['r' .. len .. ':' .. (cur - 1)] or 0\n"
"  return 'r' .. len .. ':' .. cur, 'r' .. len .. ':' .. (cur - 1), math.ceil(c + p * (1 - (now % len) / len))\n"
"end\n"
"local mk, mp, rm = rate(60000)\n"
"local hk, hp, rhr = rate(3600000)\n"
/* seen: nil unless tempfailed before; then 2 * first_contact + (rate counted) */
"local seen = #KEYS >= 4 and redis.call('GET', KEYS[4]) or false\n"
"if seen then redis.call('DEL', KEYS[4]) end\n"
"seen = seen and tonumber(seen) or nil\n"
"local counted = seen ~= nil and seen % 2 == 1\n"
"local limited = 0\n"
/* a message bigger than a limit on its own (more recipients than the
 * limit) goes through when nothing else is counted, rather than never */
"if counted then\n"
"elseif lmin > 0 and rm + incr > lmin and rm > 0 then limited = 1\n"
"elseif lhour > 0 and rhr + incr > lhour and rhr > 0 then limited = 2 end\n"
"for f, _ in pairs(rf) do\n"
"  if f ~= mk and f ~= mp and f ~= hk and f ~= hp then redis.call('HDEL', KEYS[2], f) end\n"
"end\n"
/* a refused message is not counted: the MTA will offer it again */
"if limited == 0 and not counted then\n"
"  counted = true\n"
"  redis.call('HINCRBY', KEYS[2], mk, incr)\n"
"  redis.call('HINCRBY', KEYS[2], hk, incr)\n"
"  rm, rhr = rm + incr, rhr + incr\n"
"  redis.call('PEXPIRE', KEYS[2], 7200000)\n"
"end\n"
/* the record: decay every count to now, then add this message */
"local rec = redis.call('HGETALL', KEYS[1])\n"
"local h = {}\n"
"for i = 1, #rec, 2 do h[rec[i]] = rec[i + 1] end\n"
"local new = h.first == nil and 1 or 0\n"
"local f = 2 ^ (-(now - tonumber(h.ts or now)) / hl)\n"
"for k, v in pairs(h) do\n"
"  local p = string.sub(k, 1, 2)\n"
"  if k == 'score' or k == 'msgs' or k == 'flagged' or p == 'd:' or p == 's:' then h[k] = tonumber(v) * f end\n"
"end\n"
"h.ts, h.seen = now, now\n"
"h.first = h.first or now\n"
"local cats = {}\n"
/* a message offered again adds nothing to the record */
"if seen == nil then\n"
"  h.msgs = (h.msgs or 0) + 1\n"
"  for i = 0, ncat - 1 do cats[#cats + 1] = { ARGV[9 + 2 * i], tonumber(ARGV[10 + 2 * i]) } end\n"
"  if limited > 0 then cats[#cats + 1] = { 'rate_limit', 4 } end\n"
"end\n"
"h.msgs = h.msgs or 0\n"
/* a refusal for rate is counted by itself (rate_limit), not as a flagged
 * message: nothing in it was flagged, and it was never delivered */
"local flagged = false\n"
"for _, c in ipairs(cats) do if c[1] ~= 'rate_limit' then flagged = true end end\n"
"if flagged then\n"
"  h.flagged = (h.flagged or 0) + 1\n"
"  h.inc = now\n"
"  cats[#cats + 1] = { 'incidents', 0 }\n"
"end\n"
"for _, c in ipairs(cats) do\n"
"  if c[2] > 0 then\n"
"    h['d:' .. c[1]] = (h['d:' .. c[1]] or 0) + 1\n"
"    h['s:' .. c[2]] = (h['s:' .. c[2]] or 0) + 1\n"
"    h.score = (h.score or 0) + c[2]\n"
"  end\n"
"  h['w:' .. c[1]] = (h['w:' .. c[1]] or '') .. ' ' .. now\n"
"end\n"
/* window lists: keep the incident times inside the window, at most 100 */
"local out, del, set = {}, {}, {}\n"
"for k, v in pairs(h) do\n"
"  if string.sub(k, 1, 2) == 'w:' then\n"
"    local keep = {}\n"
"    for ts in string.gmatch(v, '%d+') do\n"
"      if now - tonumber(ts) < win then keep[#keep + 1] = ts end\n"
"    end\n"
"    while #keep > 100 do table.remove(keep, 1) end\n"
"    if #keep == 0 then del[#del + 1] = k else\n"
"      h[k] = table.concat(keep, ' ')\n"
"      out[#out + 1] = string.sub(k, 3)\n"
"      out[#out + 1] = #keep\n"
"    end\n"
"  end\n"
"end\n"
"for _, k in ipairs(del) do h[k] = nil; redis.call('HDEL', KEYS[1], k) end\n"
"for k, v in pairs(h) do set[#set + 1] = k; set[#set + 1] = tostring(v) end\n"
"redis.call('HSET', KEYS[1], unpack(set))\n"
/* keep the record clean_ttl past its last incident (or its creation) */
"if #cats > 0 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], math.max(ttl, win)) end\n"
"local fc, ncontacts, added = 0, 0, {}\n"
"if #ARGV >= 9 + 2 * ncat then\n"
"  for i = 9 + 2 * ncat, #ARGV do\n"
"    if redis.call('SADD', KEYS[3], ARGV[i]) == 1 then fc = 1; added[#added + 1] = ARGV[i] end\n"
"  end\n"
"  ncontacts = redis.call('SCARD', KEYS[3])\n"
"  redis.call('PEXPIRE', KEYS[3], cttl)\n"
"end\n"
"if seen ~= nil then fc = math.floor(seen / 2) end\n"
"local res = { math.floor((h.score or 0) * 1000 + 0.5), tonumber(h.first), new,\n"
"  math.floor(h.msgs * 1000 + 0.5), fc, ncontacts, rm, rhr, limited, now, table.concat(added, ' ') }\n"
"for _, v in ipairs(out) do res[#res + 1] = v end\n"
"return res\n";

/* KEYS: sender records (the hashes es_redis_script keeps).
 * ARGV[1] half-life ms  [2] window ms.
 * Returns { now_ms, then per key either {} (no record) or
 * { score*1000, messages*1000, flagged*1000 (each decayed to now), first_ms,
 *   last_incident_ms (0: none), last_seen_ms, flagged in window,
 *   then (category, decayed count*1000, count in window) triples } }.
 * It only reads: the record changes only when mail from the sender is seen. */
const char es_redis_lookup_script[] =
"local t = redis.call('TIME')\n"
"local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
"local hl, win = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
"local function inwin(v)\n"
"  local n = 0\n"
"  for ts in string.gmatch(v or '', '%d+') do\n"
"    if now - tonumber(ts) < win then n = n + 1 end\n"
"  end\n"
"  return n\n"
"end\n"
"local res = { now }\n"
"for _, key in ipairs(KEYS) do\n"
"  local rec = redis.call('HGETALL', key)\n"
"  local h, out = {}, {}\n"
"  for i = 1, #rec, 2 do h[rec[i]] = rec[i + 1] end\n"
"  if h.first then\n"
"    local f = 2 ^ (-(now - tonumber(h.ts or now)) / hl)\n"
"    local function dec(v) return math.floor((tonumber(v) or 0) * f * 1000 + 0.5) end\n"
"    out = { dec(h.score), dec(h.msgs), dec(h.flagged), tonumber(h.first),\n"
"      tonumber(h.inc) or 0, tonumber(h.seen) or 0, inwin(h['w:incidents']) }\n"
"    for k, v in pairs(h) do\n"
"      if string.sub(k, 1, 2) == 'd:' then\n"
"        local c = string.sub(k, 3)\n"
"        out[#out + 1] = c\n"
"        out[#out + 1] = dec(v)\n"
"        out[#out + 1] = inwin(h['w:' .. c])\n"
"      end\n"
"    end\n"
"  end\n"
"  res[#res + 1] = out\n"
"end\n"
"return res\n";

/* KEYS[1] the sender's contacts set (es_redis_script's KEYS[3]); ARGV: the
 * pupil hashes a refused message added, forgotten again */
const char es_redis_forget_script[] =
"return redis.call('SREM', KEYS[1], unpack(ARGV))\n";

/* KEYS[1] the message's "tempfailed" key (see es_redis_script's KEYS[4]).
 * ARGV[1] 2 * first_contact + (its rate share was counted)  ARGV[2] TTL ms */
const char es_redis_tempfail_script[] =
"redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
"return 1\n";
