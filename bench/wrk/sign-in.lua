-- POST /api/auth/sign-in with correct credentials ($BENCH_EMAIL / $BENCH_PASSWORD): argon2id at full speed.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function init(args)
  wrk.method = "POST"
  wrk.path = "/api/auth/sign-in"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("BENCH_EMAIL"), os.getenv("BENCH_PASSWORD"))
end
