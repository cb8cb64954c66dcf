defmodule DalaOta.E2E.Scenarios.UpdateFlow do
  @moduledoc """
  Cases 1, 2, 3 and 5 of issue 5, one device through four releases, as on a real phone:

    1. v1 over distribution, hot-loaded into a running GenServer; distribution stopped, no
       nodes, the session cookie dead;
    2. v2 changing one module: only it crosses the wire;
    3. v3 crashing at boot: reverted after N boots, reported, the deployment halted;
    5. offline: the last good bundle runs, reports wait on disk and go out later.
  """

  import ExUnit.Assertions
  import DalaOta.E2E.Scenarios

  alias DalaOta.E2E.{Device, Mitm, World}

  @doc "Runs the four cases in order."
  def run(ctx) do
    app = World.app(ctx.admin, "com.example.flow#{ctx.rt.otp_release}", ctx.rt.otp_release)
    device = device_opts(ctx, app, "flow", max_early_crashes: 3)
    {dev, v1} = hot_update(ctx, app, device)
    v2 = delta(ctx, app, device, dev, v1)
    dev = crash_loop(ctx, app, device, dev, v2)
    offline(ctx, app, device, dev)
  end

  # 1. Publish v1, deploy to 100%: a session over distribution and a hot load.
  defp hot_update(ctx, app, device) do
    {:ready, dev, {:ok, %{status: :base}}} = Device.boot(ctx.rt, device)
    v1 = World.publish(ctx.admin, app, "v1", [ctx.demo.v1])
    World.deploy(ctx.admin, app, v1)
    assert call(dev, Demo.Greeter, :hello) == "v0"
    greeter = call(dev, Process, :whereis, [Demo.Greeter])
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:applied, v1.sequence}}
    assert call(dev, Demo.Greeter, :hello) == "v1"
    assert call(dev, Process, :whereis, [Demo.Greeter]) == greeter, "the GenServer kept running"
    refute call(dev, Node, :alive?)
    assert call(dev, Node, :list, [[:visible, :hidden]]) == []
    refute session_cookie_connects?(dev), "the session cookie must be dead"

    # The server files session events as it goes: wait until they are all visible.
    eventually(fn ->
      assert kinds(ctx.admin, app, device, v1.sequence) == ["applied", "downloaded", "offered"]
    end)

    {"downloaded", _, _, bytes} =
      List.keyfind(events_for(ctx.admin, app, device, v1.sequence), "downloaded", 0)

    assert bytes == Enum.sum(for m <- v1.modules, do: m["size"]),
           "every module of v1 crossed, once"

    assert %{last_check: %{delivery: %{via: :session, bytes: ^bytes}}} =
             call(dev, DalaOta.Agent, :status)

    assert call(dev, DalaOta.Agent, :confirm) == :ok
    {dev, v1}
  end

  # The session's device node name and cookie, reused by the device after the session: the
  # server must refuse it (single use). (The device holding no cookie is not asserted here:
  # stopped distribution has none, so such a check could not fail.)
  defp session_cookie_connects?(dev) do
    %{device_node: node, cookie: cookie} = call(dev, DalaOta.E2E.RecordingCrypto, :last_session)

    {:ok, _} =
      call(dev, :net_kernel, :start, [
        String.to_atom(node),
        %{name_domain: :longnames, hidden: true, dist_listen: false}
      ])

    true = call(dev, :erlang, :set_cookie, [server_node(), String.to_atom(cookie)])
    connected = call(dev, :net_kernel, :connect_node, [server_node()])
    :ok = call(dev, :net_kernel, :stop)
    connected == true
  end

  # 2. Publish v2, changing Demo.Greeter only: only it crosses the wire.
  defp delta(ctx, app, device, dev, v1) do
    v2 = World.publish(ctx.admin, app, "v2", [ctx.demo.v2])
    World.deploy(ctx.admin, app, v2)
    changed = for m <- v2.modules, m["sha256"] not in Enum.map(v1.modules, & &1["sha256"]), do: m
    assert [%{"name" => "Elixir.Demo.Greeter", "size" => greeter_size}] = changed
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:applied, v2.sequence}}
    assert call(dev, Demo.Greeter, :hello) == "v2"

    eventually(fn ->
      assert {"downloaded", _, _, ^greeter_size} =
               List.keyfind(events_for(ctx.admin, app, device, v2.sequence), "downloaded", 0)
    end)

    assert greeter_size < Enum.sum(for m <- v2.modules, do: m["size"])
    # The device's own account agrees: one module, over the session.
    assert %{last_check: %{delivery: delivery}} = call(dev, DalaOta.Agent, :status)

    assert delivery == %{
             via: :session,
             sequence: v2.sequence,
             modules: ["Elixir.Demo.Greeter"],
             bytes: greeter_size
           }

    assert call(dev, DalaOta.Agent, :confirm) == :ok
    v2
  end

  # 3. Publish v3, whose boot crashes, for the next start; one failure halts it.
  defp crash_loop(ctx, app, device, dev, v2) do
    v3 = World.publish(ctx.admin, app, "v3", [ctx.demo.v3], apply_mode: :next_start)
    d3 = World.deploy(ctx.admin, app, v3, failure_threshold: %{count: 1})
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:staged, v3.sequence}}
    assert call(dev, Demo.Greeter, :hello) == "v2", "a staged bundle waits for the next start"
    Device.stop(dev)

    for attempt <- 1..3 do
      assert {:crashed, 3, "the new code crashes at launch"} = Device.boot(ctx.rt, device),
             "boot #{attempt}"
    end

    {:ready, dev, {:ok, boot}} = Device.boot(ctx.rt, device)

    assert %{sequence: s2, status: :confirmed, rolled_back: %{sequence: s3, reason: reason}} =
             boot

    assert {s2, s3} == {v2.sequence, v3.sequence}
    assert reason =~ "died within 5 s of boot 3 times"
    assert call(dev, Demo.Greeter, :hello) == "v2"

    assert call(dev, DalaOta.Agent, :current) == %{
             sequence: v2.sequence,
             label: "v2",
             status: :confirmed
           }

    # The server still offers v3 until the report lands; the device never takes it again.
    assert call(dev, DalaOta.Agent, :check_now) ==
             {:error, {:manifest_rejected, [:sequence_not_higher]}}

    assert {"rolled_back", _, ^reason, _} =
             List.keyfind(events_for(ctx.admin, app, device, v3.sequence), "rolled_back", 0)

    assert %{"state" => "halted"} = World.deployment(ctx.admin, app, d3)

    # Every server cache hears of the halt within a moment.
    eventually(fn ->
      assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:no_update, "deployment_halted"}}
    end)

    dev
  end

  # 5. Offline: v4 is applied, the network goes away, the app confirms and restarts.
  defp offline(ctx, app, device, dev) do
    v4 = World.publish(ctx.admin, app, "v4", [ctx.demo.v4])
    World.deploy(ctx.admin, app, v4)
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:applied, v4.sequence}}
    Mitm.mode(ctx.mitm, :offline)
    assert call(dev, DalaOta.Agent, :confirm) == :ok
    assert {:error, {:offline, _}} = call(dev, DalaOta.Agent, :check_now)
    assert %{queued_events: queued} = call(dev, DalaOta.Agent, :status)
    assert queued >= 1
    Device.stop(dev)
    {:ready, dev, {:ok, %{sequence: s4, status: :confirmed}}} = Device.boot(ctx.rt, device)
    assert s4 == v4.sequence
    assert call(dev, Demo.Greeter, :hello) == "v4"
    assert call(dev, :demo_worker, :version) == 4
    refute List.keymember?(events_for(ctx.admin, app, device, v4.sequence), "confirmed", 0)
    Mitm.mode(ctx.mitm, :pass)
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:no_update, "up_to_date"}}
    assert List.keymember?(events_for(ctx.admin, app, device, v4.sequence), "confirmed", 0)
    assert %{queued_events: 0} = call(dev, DalaOta.Agent, :status)
    Device.stop(dev)
  end
end
