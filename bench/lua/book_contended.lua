-- Every request asks for the same room at the same time: one wins, all the
-- others must be refused with 409.
local token = os.getenv("TOKEN")
local body = string.format('{"room_id":"%s","starts_at":"%s","ends_at":"%s","title_en":"Contended","attendees":2}',
  os.getenv("ROOM"), os.getenv("START"), os.getenv("END"))
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
