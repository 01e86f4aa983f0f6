-- POST /v1/api_keys/verify {"secret": $BENCH_VERIFY_SECRET} with the backend secret key given by -H (Authorization);
-- no per-response hook, so wrk runs at full speed (non-2xx answers are counted by wrk itself).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"secret":"' .. os.getenv("BENCH_VERIFY_SECRET") .. '"}'
end
