-- POST /v1/pinned: every other request pins a new project of the pool, the
-- others repeat a pin that exists (200). BENCH_KEY, BENCH_THREADS, BENCH_POOL.
local key = os.getenv("BENCH_KEY")
local nthreads = tonumber(os.getenv("BENCH_THREADS"))
local pool = tonumber(os.getenv("BENCH_POOL"))
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  sent = 0
  headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
end

request = function()
  sent = sent + 1
  local project
  if sent % 2 == 0 then
    project = "bench-repeat-0001"
  else
    local index = thread_index + nthreads * ((sent - 1) / 2)
    project = string.format("bench-pool-%06d", index % pool)
  end
  return wrk.format("POST", "/v1/pinned", headers, '{"projectId":"' .. project .. '"}')
end
