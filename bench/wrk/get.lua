-- GET with the headers given by -H; no per-response hook, so wrk runs at full speed.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
