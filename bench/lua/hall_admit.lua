-- POSTs admissions at the hall's door, each thread walking its share of the
-- ticket codes in CODES once (confirmed: the run ignores the arrival window).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
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
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local code = codes[((n - 1) % #codes) + 1]
  return wrk.format("POST", "/api/v1/hall/admissions", nil, '{"code":"' .. code .. '","heads":2,"confirm":true,"device":"wrk"}')
end
function response(status, headers, body)
  done = done + 1
  if done >= #codes then wrk.thread:stop() end
end
