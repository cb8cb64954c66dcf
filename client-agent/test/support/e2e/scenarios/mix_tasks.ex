defmodule DalaOta.E2E.Scenarios.MixTasks do
  @moduledoc """
  The developer's side, as an app team runs it: a Mix project that depends on the agent runs
  `mix dala_ota.bundle` and then `mix dala_ota.publish --channel beta --rollout 10` with the
  runtime's own Elixir, against the real server. The bundle holds the project's modules and
  nothing of OTP, Elixir or the agent; the server then offers the release to the devices of
  the beta channel whose bucket lies in the first 10%, and only to them.
  """

  import ExUnit.Assertions
  import DalaOta.E2E.Scenarios

  alias DalaOta.Admin
  alias DalaOta.E2E.{Device, Runtime, World}

  @doc "Bundles, publishes and deploys with the Mix tasks, then checks in from two devices."
  def run(ctx) do
    app = World.app(ctx.admin, "com.example.mix#{ctx.rt.otp_release}", ctx.rt.otp_release)

    {:ok, %{"channel_key" => beta_key}} =
      Admin.request(
        ctx.admin,
        :post,
        "/api/v1/apps/#{app.name}/channels",
        {:json, %{name: "beta"}}
      )

    project = project(ctx, app)

    # mix dala_ota.bundle: the project's own modules only, though the agent is a dependency.
    out = mix!(ctx, project, "dala_ota.bundle")
    assert [_, path, "2"] = Regex.run(~r/wrote (\S+) \((\d+) modules\)/, out)
    assert Path.basename(path) == "#{app.name}-1.2.0.bundle"

    # mix dala_ota.publish --channel beta --rollout 10: built again, published and deployed.
    out = mix!(ctx, project, "dala_ota.publish --channel beta --rollout 10")

    assert [_, sequence, deployment] =
             Regex.run(~r/sequence (\d+) .* to 10% \(deployment (\S+)\)/, out)

    {:ok, release} =
      Admin.request(ctx.admin, :get, "/api/v1/apps/#{app.name}/releases/#{sequence}")

    assert release["label"] == "1.2.0"
    assert Enum.map(release["modules"], & &1["name"]) == ["Elixir.DemoMix", "demo_mix_erl"]

    assert %{"channel" => "beta", "rollout_percent" => 10, "state" => "active"} =
             World.deployment(ctx.admin, app, deployment)

    # The rollout as devices see it: one device inside the 10%, one outside.
    beta = %{app | channel_key: beta_key}
    seq = String.to_integer(sequence)

    inside = device(ctx, beta, "beta-in", install_id(deployment, &(&1 < 1000)))
    assert call(inside, DalaOta.Agent, :check_now) == {:ok, {:applied, seq}}
    assert call(inside, DemoMix, :hello) == :world
    Device.stop(inside)

    outside = device(ctx, beta, "beta-out", install_id(deployment, &(&1 >= 1000)))
    assert call(outside, DalaOta.Agent, :check_now) == {:ok, {:no_update, "not_in_rollout"}}
    Device.stop(outside)
  end

  # A Mix project with one Elixir and one Erlang module that depends on the agent by path, as
  # an app does, and names its app id in its config.
  defp project(ctx, app) do
    dir = Path.join(ctx.rt.work, "mix-project")
    File.mkdir_p!(Path.join(dir, "lib"))
    File.mkdir_p!(Path.join(dir, "src"))

    File.write!(Path.join(dir, "mix.exs"), """
    defmodule DemoMix.MixProject do
      use Mix.Project

      def project do
        [
          app: :demo_mix,
          version: "1.2.0",
          deps: [{:dala_ota, path: #{inspect(ctx.rt.agent_source)}}],
          dala_ota: [app: #{inspect(app.name)}]
        ]
      end
    end
    """)

    File.write!(Path.join(dir, "lib/demo_mix.ex"), """
    defmodule DemoMix do
      def hello, do: :world
    end
    """)

    File.write!(
      Path.join(dir, "src/demo_mix_erl.erl"),
      "-module(demo_mix_erl).\n-export([hello/0]).\nhello() -> world.\n"
    )

    dir
  end

  # Runs a Mix task in the project with the runtime's Elixir, the server and a publisher's
  # token in the environment, and a home of its own.
  defp mix!(ctx, project, task) do
    inside = Runtime.inside(ctx.rt, project)
    home = Path.join(project, "home")
    File.mkdir_p!(home)

    env = [
      {"HOME", Runtime.inside(ctx.rt, home)},
      {"MIX_HOME", Runtime.inside(ctx.rt, Path.join(home, ".mix"))},
      {"MIX_ENV", "dev"},
      {"OTA_URL", ctx.stack.url},
      {"OTA_TOKEN", ctx.stack.token}
    ]

    {out, status} = Runtime.sh(ctx.rt, "cd #{inside} && mix #{task}", env)
    assert status == 0, "mix #{task} failed (#{status}):\n#{out}"
    out
  end

  defp device(ctx, app, name, install_id) do
    {:ready, dev, _} = Device.boot(ctx.rt, device_opts(ctx, app, name, install_id: install_id))
    dev
  end

  # An install id whose bucket for the deployment satisfies `wanted?` (docs/rollouts.md).
  defp install_id(deployment, wanted?) do
    Stream.iterate(1, &(&1 + 1))
    |> Stream.map(&"e2e-mix-#{&1}")
    |> Enum.find(fn id ->
      <<word::32, _::binary>> = :crypto.hash(:sha256, deployment <> ":" <> id)
      wanted?.(rem(word, 10_000))
    end)
  end
end
