-- POSTs registrations of one person each, with a name and e-mail unique per
-- request; each thread stops after PER_THREAD answers.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  n, done = 0, 0
  limit = tonumber(os.getenv("PER_THREAD"))
  path = os.getenv("EVENT_PATH")
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local body = string.format('{"participants":[{"name":"Load %d-%d","email":"load%d.%d@example.org"}],"consent":true}', tid, n, tid, n)
  return wrk.format("POST", path, nil, body)
end
function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
