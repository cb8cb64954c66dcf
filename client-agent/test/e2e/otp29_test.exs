# Defined only when an OTP 29 root is configured; otherwise the reason is printed instead.
if System.get_env("OTA_OTP29_ROOT") in [nil, ""] do
  IO.puts(
    "NOTE: end-to-end tests on OTP 29 are not defined: OTA_OTP29_ROOT is not set (./ota test sets it)."
  )
else
  defmodule DalaOta.E2E.Otp29Test do
    @moduledoc """
    Issue 5's end-to-end cases on OTP 29 (the Debian sid root named by `OTA_OTP29_ROOT`), against
    the real server. The agent runs as compiled by OTP 29's Elixir (1.20) and talks HTTP with its own
    TCP client, as on Dala's iOS build, which has neither inets nor ssl.
    """
    use DalaOta.E2E.Cases, runtime: :otp29
  end
end
