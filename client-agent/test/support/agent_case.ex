defmodule DalaOta.Test.AgentCase do
  @moduledoc """
  What the agent's tests share: a fake server behind the bridge transport (`FakeServer`), two
  fresh test modules the releases replace, a forged trust chain, and helpers that start an
  agent and make the server answer check-ins.

  Agents load modules into the test VM and some start distribution, so every test module that
  uses this case runs on its own (`async: false`).
  """
  use ExUnit.CaseTemplate

  import ExUnit.Assertions

  alias DalaOta.{Agent, Boot}
  alias DalaOta.Test.{FakeServer, Forge}
  alias DalaOta.Test.DeviceFixture, as: F

  using do
    quote do
      import DalaOta.Test.AgentCase

      alias DalaOta.{Agent, Boot, Installed}
      alias DalaOta.Test.{Beams, FakeDist, FakeServer, Forge}
      alias DalaOta.Test.DeviceFixture, as: F

      @moduletag :tmp_dir
    end
  end

  setup %{tmp_dir: dir} do
    {:ok, server} = FakeServer.start_link()
    mods = F.modules(2)

    on_exit(fn ->
      F.purge(mods)
      :net_kernel.stop()
    end)

    {:ok, dir: dir, server: server, mods: mods, trust: Forge.trust()}
  end

  @doc """
  Loads the device's bundle as the app's start does, then starts an agent under a fresh name
  that talks to the fake server over HTTP only, unless `extra` says otherwise.
  """
  def start_agent(ctx, extra \\ []) do
    opts =
      F.options(
        ctx.dir,
        Keyword.merge(
          [transport: DalaOta.Transport.Bridge, bridge: ctx.server, distribution: :never],
          extra
        )
      )

    Boot.load(opts)
    name = :"agent_#{System.unique_integer([:positive])}"
    ExUnit.Callbacks.start_supervised!({Agent, Keyword.put(opts, :name, name)})
    name
  end

  @doc "The server answers every check-in with `decision.(request)`, freshly signed."
  def answer(ctx, decision, opts \\ []) do
    FakeServer.set(ctx.server, :checkin, fn req ->
      Forge.checkin_answer(
        ctx.trust,
        decision.(req),
        Keyword.merge([install_id: req.install_id, issued_at: :os.system_time(:second)], opts)
      )
    end)
  end

  @doc """
  The server offers `release`. The signed answer describes the release's own bundle; `bundle:`
  is what the network then delivers instead (an on-path attacker's bytes).
  """
  def offer(ctx, release, opts \\ []) do
    update =
      Forge.update(
        release.manifest,
        release.envelope,
        release.bundle,
        Keyword.get(opts, :update, [])
      )

    FakeServer.set(ctx.server, :bundles, %{
      update.bundle_url => Keyword.get(opts, :bundle, release.bundle)
    })

    answer(ctx, fn _ -> {:update, update} end, Keyword.get(opts, :answer, []))
    update
  end

  @doc "The server has nothing for the device."
  def no_update(ctx), do: answer(ctx, fn _ -> :none end)

  @doc "The reports the server received, as `{kind, sequence}`."
  def event_kinds(ctx), do: for(e <- FakeServer.events(ctx.server), do: {e.kind, e.sequence})

  @doc "Waits up to `deadline` ms for `fun` to return true, and fails the test otherwise."
  def wait_until(fun, deadline \\ 5000) do
    cond do
      fun.() -> :ok
      deadline <= 0 -> flunk("condition not met in time")
      true -> Process.sleep(50) && wait_until(fun, deadline - 50)
    end
  end
end
