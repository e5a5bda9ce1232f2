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
 * instead of papered over; and that no gateway has reported lost records (the gap marker): until
 * an operator acknowledges the loss, nothing more is appended by any replica.
 *
 * KEYS[1] the chain head, "<seq>:<hash>" (absent for an empty chain); KEYS[2] the stream;
 * KEYS[3] the gap marker (present while a loss awaits acknowledgement); KEYS[4] the generation
 * (a random id each acknowledgement sets; absent until the first).
 * ARGV[1] the expected head ("" for an empty chain); ARGV[2] the new head; ARGV[3] the stream id
 * the stream is expected to end at ("0-0" when empty); ARGV[4], ARGV[5], … the records' stream ids
 * ("<seq>-0") and JSON, in pairs.
 * Returns {1, newHead, generation} when appended, {0, currentHead, generation} when the head moved,
 * {-1, lastStreamId, generation} when the stream and the head disagree, {-2, currentHead,
 * generation} while a loss awaits acknowledgement. In Redis Cluster every key needs one hash slot:
 * give the key prefix a hash tag, e.g. `patient-graph:{audit}:`.
 */
export const APPEND_AUDIT_RECORDS_SCRIPT = `
local head = redis.call('GET', KEYS[1]) or ''
local generation = redis.call('GET', KEYS[4]) or ''
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {-2, head, generation}
end
if head ~= ARGV[1] then
  return {0, head, generation}
end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local lastId = '0-0'
if #last > 0 then
  lastId = last[1][1]
end
if lastId ~= ARGV[3] then
  return {-1, lastId, generation}
end
for i = 4, #ARGV, 2 do
  redis.call('XADD', KEYS[2], ARGV[i], 'record', ARGV[i + 1])
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2], generation}
`;

/** EVALSHA key of the script (Redis identifies scripts by the SHA-1 of their text). */
export const APPEND_AUDIT_RECORDS_SCRIPT_SHA1 = createHash('sha1').update(APPEND_AUDIT_RECORDS_SCRIPT).digest('hex');

/**
 * Appends the record that acknowledges a loss, clears the gap marker and sets a new generation,
 * in one step, if the marker and the head are still what the operator's command read.
 * KEYS as above. ARGV[1] the marker text read; ARGV[2] the expected head; ARGV[3] the new head;
 * ARGV[4] the stream id the stream is expected to end at; ARGV[5] the record's stream id; ARGV[6]
 * its JSON; ARGV[7] the new generation. Returns 1 when written, 0 when something moved meanwhile.
 */
export const ACKNOWLEDGE_AUDIT_GAP_SCRIPT = `
local marker = redis.call('GET', KEYS[3]) or ''
local head = redis.call('GET', KEYS[1]) or ''
if marker ~= ARGV[1] or head ~= ARGV[2] then
  return 0
end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local lastId = '0-0'
if #last > 0 then
  lastId = last[1][1]
end
if lastId ~= ARGV[4] then
  return 0
end
redis.call('XADD', KEYS[2], ARGV[5], 'record', ARGV[6])
redis.call('SET', KEYS[1], ARGV[3])
redis.call('SET', KEYS[4], ARGV[7])
redis.call('DEL', KEYS[3])
return 1
`;
