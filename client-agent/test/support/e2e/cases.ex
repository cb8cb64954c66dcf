defmodule DalaOta.E2E.Cases do
  @moduledoc """
  Issue 5's end-to-end cases, written once and run for each runtime:
  `use DalaOta.E2E.Cases, runtime: :otp25` defines them against `DalaOta.E2E.Runtime.otp25/0`.
  """

  defmacro __using__(opts) do
    runtime = Keyword.fetch!(opts, :runtime)

    quote do
      use ExUnit.Case, async: true

      alias DalaOta.E2E.{Runtime, Scenarios}

      @moduletag :e2e
      @moduletag unquote(runtime)
      @moduletag timeout: 600_000

      setup_all do
        ctx = Scenarios.setup(apply(Runtime, unquote(runtime), []))
        on_exit(fn -> Scenarios.teardown(ctx) end)
        {:ok, world: ctx}
      end

      test("cases 1, 2, 3 and 5: hot update, delta, crash-loop rollback, offline", %{world: w},
        do: Scenarios.UpdateFlow.run(w)
      )

      test("case 4: attacks, HTTP fallback and the stub crypto", %{world: w},
        do: Scenarios.Attacks.run(w)
      )

      test(
        "mix dala_ota.bundle and mix dala_ota.publish --channel beta --rollout 10",
        %{world: w},
        do: Scenarios.MixTasks.run(w)
      )

      test("the Dala framework present, distribution kept up for development", %{world: w},
        do: Scenarios.Dala.run(w)
      )
    end
  end
end
