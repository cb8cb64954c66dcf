defmodule DalaOta.E2E.Otp25Test do
  @moduledoc "Issue 5's end-to-end cases on the host's OTP 25, against the real server."
  use ExUnit.Case, async: true

  alias DalaOta.E2E.{Runtime, Scenarios}

  @moduletag :e2e
  @moduletag timeout: 600_000

  setup_all do
    ctx = Scenarios.setup(Runtime.otp25())
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
