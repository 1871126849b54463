-- GET /bench/raw_home?account_id=ID, rotating through the active users' account IDs.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local ids = read_lines(os.getenv("BENCH_ACCOUNTS"))
local counter = 0

function request()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
  return wrk.format("GET", "/bench/raw_home?account_id=" .. id)
end
