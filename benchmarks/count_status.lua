-- wrk script for benchmarks/run.py: counts responses whose status is not 200
-- (wrk itself only reports statuses >= 400) and prints one summary line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not200 = 0
  last_bad_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not200 = not200 + 1
    last_bad_status = status
  end
end

function done(summary, latency, requests)
  local total, last = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not200")
    local status = thread:get("last_bad_status")
    if status ~= 0 then
      last = status
    end
  end
  io.write(string.format("RATUSZ-BENCH not200=%d last_bad_status=%d\n", total, last))
end
