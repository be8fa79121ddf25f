-- POSTs check-ins, each thread walking its share of the ticket codes in
-- CODES (one per line) once, then stopping.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
  thread:set("threads", 0)
end
function init(args)
  codes = {}
  local k = 0
  local nthreads = tonumber(os.getenv("THREADS"))
  for line in io.lines(os.getenv("CODES")) do
    if k % nthreads == tid - 1 then codes[#codes + 1] = line end
    k = k + 1
  end
  n, done = 0, 0
  event = os.getenv("EVENT")
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local code = codes[((n - 1) % #codes) + 1]
  return wrk.format("POST", "/api/v1/checkins", nil, '{"event_id":"' .. event .. '","code":"' .. code .. '","device":"wrk"}')
end
function response(status, headers, body)
  done = done + 1
  if done >= #codes then wrk.thread:stop() end
end
