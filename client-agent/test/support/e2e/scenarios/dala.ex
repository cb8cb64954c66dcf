defmodule DalaOta.E2E.Scenarios.Dala do
  @moduledoc """
  The Dala framework present (the test-only `Dala.Dist` shim on the device's code path):
  distribution goes through `Dala.Dist.ensure_started/1` and `Dala.Dist.stop/0`, and where a
  development build keeps it up after the session, the session cookie is dead all the same.
  """

  import ExUnit.Assertions
  import DalaOta.E2E.Scenarios

  alias DalaOta.E2E.{Device, World}

  @doc "One hot update over a session that Dala starts and stops."
  def run(ctx) do
    app = World.app(ctx.admin, "com.example.dala#{ctx.rt.otp_release}", ctx.rt.otp_release)
    device = device_opts(ctx, app, "dala", app_env: [{:dala_dist_shim, :keep_running, true}])

    {:ready, dev, _} =
      Device.boot(ctx.rt, Keyword.put(device, :paths, [ctx.shim | device[:paths]]))

    d1 = World.publish(ctx.admin, app, "v1", [ctx.demo.v1])
    World.deploy(ctx.admin, app, d1)

    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:applied, d1.sequence}}
    assert call(dev, Demo.Greeter, :hello) == "v1"
    assert %{last_check: %{delivery: %{via: :session}}} = call(dev, DalaOta.Agent, :status)
    %{device_node: node, cookie: cookie} = call(dev, DalaOta.E2E.RecordingCrypto, :last_session)
    assert [{:ensure_started, [node: n, delay: 0]}, :stop] = call(dev, Dala.Dist, :calls)
    assert Atom.to_string(n) == node

    # Distribution stayed up (the development policy), but nothing of the session remains.
    assert call(dev, Node, :alive?)
    assert call(dev, Node, :list, [[:visible, :hidden]]) == []
    refute call(dev, :erlang, :get_cookie, [server_node()]) == String.to_atom(cookie)
    refute call(dev, :erlang, :get_cookie) == String.to_atom(cookie)
    assert call(dev, :net_kernel, :connect_node, [server_node()]) == false

    eventually(fn ->
      assert kinds(ctx.admin, app, device, d1.sequence) == ["applied", "downloaded", "offered"]
    end)

    Device.stop(dev)
  end
end
