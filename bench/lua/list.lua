-- GET /api/v1/timelines/list/<id>?limit=20 as a different active user each request
-- (BENCH_LISTS: lines "token list_id").
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local lines = read_lines(os.getenv("BENCH_LISTS"))
local counter = 0

function request()
  counter = counter + 1
  local token, list_id = lines[(counter % #lines) + 1]:match("(%S+) (%S+)")
  return wrk.format("GET", "/api/v1/timelines/list/" .. list_id .. "?limit=20",
                    {["Authorization"] = "Bearer " .. token})
end
