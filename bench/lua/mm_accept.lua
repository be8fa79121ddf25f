-- Invitees accept their meeting requests, each thread walking its share of
-- MEETINGS ("participant_id meeting_id secret" per line) once.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  rows = {}
  local k = 0
  local nthreads = tonumber(os.getenv("THREADS"))
  for line in io.lines(os.getenv("MEETINGS")) do
    if k % nthreads == tid - 1 then
      local p, m, s = line:match("(%S+) (%S+) (%S+)")
      rows[#rows + 1] = { p, m, s }
    end
    k = k + 1
  end
  n, done = 0, 0
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local r = rows[((n - 1) % #rows) + 1]
  return wrk.format("POST", "/api/v1/matchmaking/participants/" .. r[1] .. "/meetings/" .. r[2] .. "/accept", nil,
    '{"secret":"' .. r[3] .. '"}')
end
function response(status, headers, body)
  done = done + 1
  if done >= #rows then wrk.thread:stop() end
end
