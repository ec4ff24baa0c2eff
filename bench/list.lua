-- GET /v1/pinned as one member; the key comes from BENCH_KEY.
local key = os.getenv("BENCH_KEY")

request = function()
  return wrk.format("GET", "/v1/pinned", { ["Authorization"] = "Bearer " .. key })
end
