# Defined only when an OTP 29 root is configured; otherwise the reason is printed instead.
if System.get_env("OTA_OTP29_ROOT") in [nil, ""] do
  IO.puts(
    "NOTE: end-to-end tests on OTP 29 are skipped: OTA_OTP29_ROOT is not set (./ota test sets it)."
  )
else
  defmodule DalaOta.E2E.Otp29Test do
    @moduledoc """
    Issue 5's end-to-end cases on OTP 29 (the Debian sid root named by `OTA_OTP29_ROOT`), against
    the real server. The agent runs as compiled by OTP 29's Elixir (1.20) and talks HTTP with its own
    TCP client, as on Dala's iOS build, which has neither inets nor ssl.
    """
    use ExUnit.Case, async: true

    alias DalaOta.E2E.{Runtime, Scenarios}

    @moduletag :e2e
    @moduletag :otp29
    @moduletag timeout: 600_000

    setup_all do
      ctx = Scenarios.setup(Runtime.otp29())
      on_exit(fn -> Scenarios.teardown(ctx) end)
      {:ok, world: ctx}
    end

    test("cases 1, 2, 3 and 5: hot update, delta, crash-loop rollback, offline", %{world: w},
      do: Scenarios.UpdateFlow.run(w)
    )

    test("case 4: attacks, HTTP fallback and the stub crypto", %{world: w},
      do: Scenarios.Attacks.run(w)
    )

    test("mix dala_ota.bundle and mix dala_ota.publish --channel beta --rollout 10", %{world: w},
      do: Scenarios.MixTasks.run(w)
    )

    test("the Dala framework present, distribution kept up for development", %{world: w},
      do: Scenarios.Dala.run(w)
    )
  end
end
