defmodule DalaOta.DistributionTest do
  # Starts and stops distribution in the test VM itself.
  use ExUnit.Case, async: false

  alias DalaOta.Distribution.Beam

  # The shim is compiled by the tests that need it, never with the project.
  @compile {:no_warn_undefined, Dala.Dist}

  @shim Path.expand("../shim/dala_dist.ex", __DIR__)

  setup do
    on_exit(fn ->
      :net_kernel.stop()
      Application.delete_env(:dala_dist_shim, :keep_running)
      :code.purge(Dala.Dist)
      :code.delete(Dala.Dist)
      :code.purge(Dala.Dist)
    end)

    counter = :counters.new(1, [])

    random = fn ->
      :counters.add(counter, 1, 1)
      :"random_cookie_#{:counters.get(counter, 1)}"
    end

    {:ok,
     opts: %{random_cookie: random, start_timeout: 2000}, node: :"dala_0011223344@device.invalid"}
  end

  defp listening_ports do
    for port <- Port.list(),
        Port.info(port, :name) == {:name, ~c"tcp_inet"},
        {:ok, status} <- [:prim_inet.getstatus(port)],
        :listen in status,
        do: port
  end

  test "without Dala: a non-listening node under the session's name, with a fresh default cookie",
       %{opts: opts, node: node} do
    refute Beam.dala?()
    before = listening_ports()
    assert Beam.start(node, opts) == :ok
    assert Node.self() == node
    assert %{name_domain: :longnames} = :net_kernel.get_state()
    # No listening socket appeared: nobody can connect to this node.
    assert listening_ports() == before
    assert :erlang.get_cookie() == :random_cookie_1
    assert Beam.stop(:"ota@127.0.0.1", opts) == :ok
    refute Node.alive?()
  end

  test "the session cookie is set for the server node only, and connecting to nothing fails", %{
    opts: opts,
    node: node
  } do
    assert Beam.connect(:"ota@127.0.0.1", :session_cookie, opts) == {:error, :not_alive}
    :ok = Beam.start(node, opts)
    # Nothing listens at this EPMD: the connection is refused, quickly.
    assert Beam.connect(:"ota@127.0.0.1", :session_cookie, opts) == {:error, :connect_refused}
    assert :erlang.get_cookie(:"ota@127.0.0.1") == :session_cookie
    refute :erlang.get_cookie() == :session_cookie
    Beam.stop(:"ota@127.0.0.1", opts)
  end

  test "a server that never answers is given up on after the connect timeout" do
    # A node whose EPMD (given with -epmd_port, as devices reach the server's) accepts and
    # stays silent.
    {:ok, silent} = :gen_tcp.listen(0, [:binary, active: false])
    {:ok, port} = :inet.port(silent)
    holder = spawn(fn -> accept_forever(silent) end)
    on_exit(fn -> Process.exit(holder, :kill) end)

    paths =
      for app <- [:elixir, :logger],
          do: app |> :code.lib_dir() |> to_string() |> Path.join("ebin")

    agent = :code.which(Beam) |> to_string() |> Path.dirname()

    script = """
    Opts = \#{random_cookie => fun() -> c end, start_timeout => 2000, connect_timeout => 300},
    ok = 'Elixir.DalaOta.Distribution.Beam':start('dala_00@device.invalid', Opts),
    T = erlang:monotonic_time(millisecond),
    R = 'Elixir.DalaOta.Distribution.Beam':connect('ota@127.0.0.1', c, Opts),
    io:format("RESULT ~p ~p~n", [R, erlang:monotonic_time(millisecond) - T]),
    halt().
    """

    {out, 0} =
      System.cmd(
        "erl",
        ["-noshell", "-epmd_port", "#{port}", "-pa" | paths] ++ [agent, "-eval", script],
        stderr_to_stdout: true
      )

    assert [_, ms] = Regex.run(~r/RESULT \{error,connect_timeout\} (\d+)/, out), out
    assert String.to_integer(ms) < 2000
  end

  defp accept_forever(listen) do
    {:ok, _} = :gen_tcp.accept(listen)
    accept_forever(listen)
  end

  test "distribution that was already running is never taken over", %{opts: opts} do
    {:ok, _} =
      :net_kernel.start(:"developer@host.example", %{name_domain: :longnames, dist_listen: false})

    assert Beam.start(:"dala_aa@device.invalid", opts) ==
             {:error, {:distribution_running, :"developer@host.example"}}

    assert Node.alive?()
  end

  describe "with the Dala framework loaded" do
    setup do
      Code.compile_file(@shim)
      :persistent_term.put({Dala.Dist, :calls}, [])
      :ok
    end

    test "Dala.Dist.ensure_started/1 and Dala.Dist.stop/0 do the work", %{opts: opts, node: node} do
      assert Beam.dala?()
      assert Beam.start(node, opts) == :ok
      assert Node.self() == node
      assert Beam.stop(:"ota@127.0.0.1", opts) == :ok
      refute Node.alive?()
      assert [{:ensure_started, [node: ^node, delay: 0]}, :stop] = Dala.Dist.calls()
    end

    test "where a development build keeps distribution up, the session cookie still dies", %{
      opts: opts,
      node: node
    } do
      Application.put_env(:dala_dist_shim, :keep_running, true)
      :ok = Beam.start(node, opts)
      true = :erlang.set_cookie(:"ota@127.0.0.1", :session_cookie)
      default_during_session = :erlang.get_cookie()
      assert Beam.stop(:"ota@127.0.0.1", opts) == :ok
      assert Node.alive?()
      refute :erlang.get_cookie(:"ota@127.0.0.1") == :session_cookie
      refute :erlang.get_cookie() == default_during_session
      assert Node.list([:visible, :hidden]) == []
    end

    test "Dala's cookie_from_env/2 and a start that never comes up", %{opts: opts} do
      assert is_atom(Dala.Dist.cookie_from_env("DALA_OTA_TEST_UNSET", "app"))
      System.put_env("DALA_OTA_TEST_COOKIE", "abc")
      assert Dala.Dist.cookie_from_env("DALA_OTA_TEST_COOKIE", "app") == :abc
      System.delete_env("DALA_OTA_TEST_COOKIE")
      # An invalid name never starts: the agent gives up after its start timeout.
      assert {:error, {:dist_start_timeout, _}} =
               Beam.start(:"not a node", %{opts | start_timeout: 300})
    end
  end
end
