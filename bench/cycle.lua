-- wrk script for `make bench`: cycles through the paths in a file, one per request, and prints
-- its figures as one JSON line (percentiles wrk's own report lacks: p95).
--   wrk -s bench/cycle.lua http://127.0.0.1:PORT -- PATHS_FILE THREADS CLIENTS [HEADER]
-- Thread i of n requests paths i, i+n, i+2n, …. With CLIENTS > 0 each request comes from
-- one of that many readers, named in X-Forwarded-For as a proxy in front would (addresses
-- from 198.18.0.0/15, the range kept for benchmarks; a header only, no traffic goes there),
-- so that the API's per-client limit counts readers, as in production. HEADER ("Name: value",
-- e.g. an editor's "Authorization: Token …") is sent with every request.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  step = tonumber(args[2] or "1")
  clients = tonumber(args[3] or "0")
  extra = {}
  local name, value = string.match(args[4] or "", "^([^:]+):%s*(.+)$")
  if name then extra[name] = value end
  counter = id
end

function request()
  local path = paths[(counter % #paths) + 1]
  local n = counter
  counter = counter + step
  if clients > 0 then
    n = n % clients
    local client = string.format("198.%d.%d.%d", 18 + math.floor(n / 65536),
                                 math.floor(n / 256) % 256, n % 256)
    local headers = {["X-Forwarded-For"] = client}
    for k, v in pairs(extra) do headers[k] = v end
    return wrk.format("GET", path, headers)
  end
  if next(extra) == nil then
    return wrk.format("GET", path)  -- wrk's own headers (-H) go with it
  end
  return wrk.format("GET", path, extra)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
