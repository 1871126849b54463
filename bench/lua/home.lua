-- GET /api/v1/timelines/home?limit=20 as a different active user each request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local tokens = read_lines(os.getenv("BENCH_TOKENS"))
local counter = 0

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("GET", "/api/v1/timelines/home?limit=20",
                    {["Authorization"] = "Bearer " .. token})
end
