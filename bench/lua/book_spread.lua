-- Non-overlapping bookings spread over many rooms: each wrk thread owns its
-- own rooms and walks through consecutive 30-minute slots, so no two
-- requests ever ask for the same room and time.
local rooms = {}
local token = os.getenv("TOKEN")
local threads = {}
-- wrk runs with -t2: each thread books its own half of the rooms.
local counter = 0
-- `thread_no` is a global set by setup() in each thread's own Lua state.

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

function init(args)
  for id in string.gmatch(os.getenv("ROOMS"), "[^,]+") do table.insert(rooms, id) end
  thread_no = tonumber(thread_no) or 0
  math.randomseed(thread_no)
end

local function iso(day, minute)
  -- Day 0 is BASE_DATE (a day in the future, local +08:00); minute from midnight.
  local t = os.time({year = tonumber(os.getenv("BASE_Y")), month = tonumber(os.getenv("BASE_M")), day = tonumber(os.getenv("BASE_D")) + day, hour = 0})
  return string.format("%sT%02d:%02d:00+08:00", os.date("%Y-%m-%d", t), math.floor(minute / 60), minute % 60)
end

function request()
  local per_thread = math.floor(#rooms / 2)
  local n = counter
  counter = counter + 1
  local room = rooms[(thread_no * per_thread) + (n % per_thread) + 1]
  local slot = math.floor(n / per_thread)
  local day = math.floor(slot / 30)
  local minute = 8 * 60 + (slot % 30) * 30
  local body = string.format('{"room_id":"%s","starts_at":"%s","ends_at":"%s","title_en":"Load","attendees":2}',
    room, iso(day, minute), iso(day, minute + 30))
  return wrk.format("POST", "/api/v1/bookings", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
