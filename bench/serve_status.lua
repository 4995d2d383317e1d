-- Counts responses by status in each wrk thread and prints the totals and
-- the latency percentiles (ms) at the end: "status 201: 812", "p50_ms 41.2".
local threads = {}
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
  io.write(string.format("requests %d\nseconds %.2f\nrequests_per_s %.1f\np50_ms %.1f\np99_ms %.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
