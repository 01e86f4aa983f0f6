-- POST /api/auth/sign-in with correct credentials, round-robin over $BENCH_ACCOUNTS accounts
-- ($BENCH_EMAIL_FORMAT with 1..N, password $BENCH_PASSWORD): argon2id at full speed, without piling more sign-ins of
-- one account into flight than the throttle admits for one account and address.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local bodies = {}
local next_body = 0

function init(args)
  wrk.method = "POST"
  wrk.path = "/api/auth/sign-in"
  wrk.headers["Content-Type"] = "application/json"
  for i = 1, tonumber(os.getenv("BENCH_ACCOUNTS")) do
    bodies[i] = string.format('{"email":"%s","password":"%s"}',
      string.format(os.getenv("BENCH_EMAIL_FORMAT"), i), os.getenv("BENCH_PASSWORD"))
  end
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
