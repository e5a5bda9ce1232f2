import { createHash } from 'node:crypto';

/**
 * Appends a group of chained records to the Redis audit stream if, and only if, the chain head is
 * still the one the client chained them onto (compare-and-set). Redis runs a script atomically, so
 * of two replicas that chained onto the same head exactly one succeeds; the other is told the new
 * head, re-chains its records onto it and tries again. Hashing stays in the client: Redis scripts
 * have no sha256.
 *
 * Before writing, the script also checks that the stream ends where the head says, so the XADDs
 * cannot fail half-way (a script is not rolled back) and a head that was lost or edited is noticed
 * instead of papered over.
 *
 * KEYS[1] the chain head, "<seq>:<hash>" (absent for an empty chain); KEYS[2] the stream.
 * ARGV[1] the expected head ("" for an empty chain); ARGV[2] the new head; ARGV[3] the stream id
 * the stream is expected to end at ("0-0" when empty); ARGV[4], ARGV[5], … the records' stream ids
 * ("<seq>-0") and JSON, in pairs.
 * Returns {1, newHead} when appended, {0, currentHead} when the head moved, {-1, lastStreamId}
 * when the stream and the head disagree. In Redis Cluster both keys need one hash slot: give the
 * key prefix a hash tag, e.g. `patient-graph:{audit}:`.
 */
export const APPEND_AUDIT_RECORDS_SCRIPT = `
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then
  return {0, head}
end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local lastId = '0-0'
if #last > 0 then
  lastId = last[1][1]
end
if lastId ~= ARGV[3] then
  return {-1, lastId}
end
for i = 4, #ARGV, 2 do
  redis.call('XADD', KEYS[2], ARGV[i], 'record', ARGV[i + 1])
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2]}
`;

/** EVALSHA key of the script (Redis identifies scripts by the SHA-1 of their text). */
export const APPEND_AUDIT_RECORDS_SCRIPT_SHA1 = createHash('sha1').update(APPEND_AUDIT_RECORDS_SCRIPT).digest('hex');
