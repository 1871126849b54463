-- GET /bench/trivial: the framework ceiling (the URL given to wrk is used as is).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
