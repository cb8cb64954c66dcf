-- wrk script: the bare ceiling, a body of a check-in's size posted to a constant answer.
local body = string.rep("x", 180)
local headers = {["Content-Type"] = "application/x-erlang-binary"}
function request()
  return wrk.format("POST", "/bench/constant", headers, body)
end
