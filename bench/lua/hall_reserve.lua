-- POSTs hall reservations of 1–4 people, each from its own phone number.
-- SLOT: one slot key for all (the race), or SLOTS: a file of keys, one per
-- line, picked in turn (spread over a month). Each thread stops after
-- PER_THREAD answers.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  n, done = 0, 0
  limit = tonumber(os.getenv("PER_THREAD"))
  slot = os.getenv("SLOT")
  slots = {}
  if os.getenv("SLOTS") then
    for line in io.lines(os.getenv("SLOTS")) do slots[#slots + 1] = line end
  end
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local key = slot
  if #slots > 0 then key = slots[((n * 7 + tid) % #slots) + 1] end
  local people = ((n + tid) % 4) + 1
  local body = string.format('{"slot":"%s","kind":"individual","people":%d,"contact_name":"Load %d-%d","phone":"139%02d%06d","consent":true}', key, people, tid, n, tid, n)
  return wrk.format("POST", "/api/v1/hall/reservations", nil, body)
end
function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
