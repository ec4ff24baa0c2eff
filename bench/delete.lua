-- DELETE /v1/pinned/{projectId}: walks the pool of projects pinned before the
-- run, each thread its own slice. BENCH_KEY, BENCH_THREADS.
local key = os.getenv("BENCH_KEY")
local nthreads = tonumber(os.getenv("BENCH_THREADS"))
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  sent = 0
  headers = { ["Authorization"] = "Bearer " .. key }
end

request = function()
  local index = thread_index + nthreads * sent
  sent = sent + 1
  return wrk.format("DELETE", string.format("/v1/pinned/bench-pool-%06d", index), headers)
end
