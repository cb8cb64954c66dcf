defmodule DalaOta.E2E.Scenarios do
  @moduledoc """
  What the end-to-end scenarios of issue 5 share. The scenarios themselves are
  `DalaOta.E2E.Scenarios.UpdateFlow` (cases 1, 2, 3 and 5), `DalaOta.E2E.Scenarios.Attacks`
  (case 4 and the HTTP fallback), `DalaOta.E2E.Scenarios.Dala` (the Dala framework present) and
  `DalaOta.E2E.Scenarios.MixTasks` (the developer's Mix tasks). They run against the real server
  with real device nodes of one runtime (OTP 25 or OTP 29). Each uses an app of its own, so the
  two runtimes can share one server; within a scenario the steps build on each other, as on a
  real phone.
  """

  alias DalaOta.E2E.{DemoApp, Device, Mitm, Runtime, Stack, World}

  @doc "The server's node name, as `./ota up` starts it."
  def server_node, do: :"ota@127.0.0.1"

  @doc "Starts what a runtime's scenarios share: the stack, a proxy, the demo app's versions."
  def setup(%Runtime{} = rt) do
    stack = Stack.get()
    {:ok, mitm} = Mitm.start(stack.url)
    build = Path.join(rt.work, "demo")

    demo = %{
      base: DemoApp.compile(Path.join(build, "v0"), "v0", app: true),
      v1: DemoApp.compile(Path.join(build, "v1"), "v1"),
      v2: DemoApp.compile(Path.join(build, "v2"), "v2"),
      v3: DemoApp.compile(Path.join(build, "v3"), "v3", crash_at_boot: true),
      v4: DemoApp.compile(Path.join(build, "v4"), "v4", worker: 4),
      nif: DemoApp.compile(Path.join(build, "nif"), "nif", erlang: [DemoApp.nif_module()]),
      big: DemoApp.compile(Path.join(build, "big"), "big", erlang: [DemoApp.big_module(200_000)])
    }

    shim = Path.join(build, "shim")
    File.mkdir_p!(shim)

    {_, 0} =
      System.cmd(
        "elixirc",
        ["-o", shim, Path.join(DalaOta.Test.Paths.project(), "test/shim/dala_dist.ex")],
        stderr_to_stdout: true
      )

    stub = Path.join(build, "stub_crypto")
    File.mkdir_p!(stub)

    {_, 0} =
      System.cmd(
        "erlc",
        [
          "-o",
          stub,
          Path.join(DalaOta.Test.Paths.project(), "test/support/stub_crypto/crypto.erl")
        ],
        stderr_to_stdout: true
      )

    %{
      rt: rt,
      stack: stack,
      admin: Stack.admin(stack),
      mitm: mitm,
      demo: demo,
      shim: shim,
      stub: stub
    }
  end

  @doc "Stops what `setup/1` started for the runtime (the stack is shared and stopped last)."
  def teardown(ctx) do
    Mitm.stop(ctx.mitm)
    Runtime.cleanup(ctx.rt)
  end

  # --- helpers -------------------------------------------------------------------------------

  @doc """
  A device of the scenario's runtime for `app`: options for `DalaOta.E2E.Device.boot/2`. Its
  install id is fixed per device name, across reboots, unless `extra` names one. `extra` may
  also give `:epmd_port` and `:app_env`; the rest are agent settings.
  """
  def device_opts(ctx, app, name, extra) do
    {epmd, extra} = Keyword.pop(extra, :epmd_port, ctx.stack.epmd_port)
    {app_env, extra} = Keyword.pop(extra, :app_env, [])

    agent =
      Keyword.merge(
        [
          server_url: Mitm.url(ctx.mitm),
          app: app.name,
          channel_key: app.channel_key,
          platform: "android",
          otp_release: app.otp_release,
          base_fingerprint: app.base,
          root_keys: [ctx.stack.root_public],
          data_dir: Path.join([ctx.rt.work, name, "data"]),
          install_id:
            "e2e-#{ctx.rt.name}-#{name}-#{System.unique_integer([:positive])}"
            |> String.slice(0, 128),
          first_checkin: 86_400,
          checkin_interval: 86_400,
          health_window: 5,
          clock: DalaOta.Test.Clock,
          crypto: [DalaOta.E2E.RecordingCrypto],
          transport: ctx.rt.transport,
          max_module_bytes: 65_536
        ],
        extra
      )

    # The install id is fixed per device, across its reboots.
    key = {__MODULE__, ctx.rt.name, name}

    agent =
      if Keyword.has_key?(extra, :install_id),
        do: agent,
        else:
          Keyword.put(
            agent,
            :install_id,
            Process.get(key) || tap(agent[:install_id], &Process.put(key, &1))
          )

    [name: name, agent: agent, epmd_port: epmd, paths: [ctx.demo.base], app_env: app_env]
  end

  @doc "A device's install id."
  def install_id(device), do: device[:agent][:install_id]

  @doc "What the server recorded for a device and a sequence: `{kind, sequence, reason, bytes}`."
  def events_for(admin, app, device, sequence) do
    for {kind, ^sequence, reason, bytes} <- World.events(admin, app, install_id(device)),
        do: {kind, sequence, reason, bytes}
  end

  # Retries an assertion about the server's state for a while: the server records some things
  # (session events, cache invalidation) just after it answers.
  @doc "Retries `fun` until its assertions hold, for up to `deadline` ms."
  def eventually(fun, deadline \\ 15_000) do
    fun.()
  rescue
    e in [ExUnit.AssertionError, MatchError] ->
      if deadline <= 0, do: reraise(e, __STACKTRACE__)
      Process.sleep(250)
      eventually(fun, deadline - 250)
  end

  @doc "The kinds of event the server recorded for a device and a sequence, sorted."
  def kinds(admin, app, device, sequence) do
    admin |> events_for(app, device, sequence) |> Enum.map(&elem(&1, 0)) |> Enum.sort()
  end

  @doc "Applies `m.f(a)` on a device."
  def call(dev, m, f, a \\ []), do: Device.call(dev, m, f, a)

  @doc "A local port nothing listens on."
  def closed_port do
    {:ok, s} = :gen_tcp.listen(0, [])
    {:ok, port} = :inet.port(s)
    :gen_tcp.close(s)
    port
  end
end
