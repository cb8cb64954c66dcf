defmodule DalaOta.E2E.Otp25Test do
  @moduledoc """
  Issue 5's end-to-end cases on the host's OTP 25, against the real server. The agent talks
  HTTP through `:httpc`.
  """
  use DalaOta.E2E.Cases, runtime: :otp25
end
