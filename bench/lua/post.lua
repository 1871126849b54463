-- POST /api/v1/statuses with rotating tokens; every text is unique (run id + counter).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local tokens = read_lines(os.getenv("BENCH_TOKENS"))
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local counter = 0
local threads = 0
tid = 0  -- set per thread by setup() so texts stay unique with -t > 1

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local words = {"lesson", "idea", "marking", "quiz", "starter", "plenary", "reading", "group"}

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local text = string.format("Bench %s.%d post %d about the %s and the %s #edchat", run, tid, counter,
                             words[(counter % #words) + 1], words[((counter * 7) % #words) + 1])
  local body = '{"status":"' .. text .. '","visibility":"public"}'
  return wrk.format("POST", "/api/v1/statuses",
                    {["Authorization"] = "Bearer " .. token,
                     ["Content-Type"] = "application/json"}, body)
end
