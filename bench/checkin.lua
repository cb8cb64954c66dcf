-- wrk script: agents' ETF check-ins spread over a fleet of installs and channels.
-- BENCH_TEMPLATES lists ETF check-in files whose install id is the 13-byte "bench-XXXXXXX";
-- BENCH_FLEET is the fleet's size.
local templates = {}
for path in string.gmatch(os.getenv("BENCH_TEMPLATES"), "[^,]+") do
  local f = assert(io.open(path, "rb"))
  templates[#templates + 1] = f:read("*a")
  f:close()
end
local fleet = tonumber(os.getenv("BENCH_FLEET"))
local headers = {["Content-Type"] = "application/x-erlang-binary"}
local next_id = 0
local step = 0

function setup(thread)
  thread:set("thread_offset", math.random(0, fleet - 1))
end

function init(args)
  next_id = tonumber(thread_offset) or 0
  -- A stride coprime with the fleet size visits every install before repeating one.
  step = 7919
end

function request()
  next_id = (next_id + step) % fleet
  local template = templates[(next_id % #templates) + 1]
  local body = string.gsub(template, "bench%-XXXXXXX", string.format("bench-%07d", next_id), 1)
  return wrk.format("POST", "/device/v1/checkin", headers, body)
end
