defmodule DalaOta.AgentResilienceTest do
  @moduledoc """
  The agent when things go wrong around it: checks killed at their deadline, health windows and
  confirmations that meet a running check or disabled updates, crashes, misbehaving servers.
  """
  use DalaOta.Test.AgentCase, async: false

  test "an app node whose name starts like a session's survives a check killed at its deadline",
       ctx do
    {:ok, _} =
      :net_kernel.start(:"dala_app@host.example", %{name_domain: :longnames, dist_listen: false})

    :erlang.set_cookie(:app_cookie)
    FakeServer.set(ctx.server, :checkin, fn _ -> Process.sleep(3000) end)
    agent = start_agent(ctx, distribution: :auto, check_timeout: 1000)
    assert Agent.check_now(agent) == {:error, :check_timeout}
    assert Node.self() == :"dala_app@host.example"
    assert :erlang.get_cookie() == :app_cookie
  end

  test "a health window that ends during a check is recorded when the check is done",
       %{mods: [a, _]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))
    agent = start_agent(ctx, health_window: 1)
    {:ok, {:applied, 1}} = Agent.check_now(agent)
    # A check that is still running when the window ends.
    answer_slowly = fn _ -> Process.sleep(2000) && :none end
    answer(ctx, answer_slowly)
    assert {:ok, {:no_update, _}} = Agent.check_now(agent)
    wait_until(fn -> match?({:ok, %{survived: true}}, Installed.pointer(F.st(ctx.dir))) end, 2000)
  end

  test "the health window and confirm_after run even when updates are disabled",
       %{mods: [a, _]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))
    agent = start_agent(ctx)
    {:ok, {:applied, 1}} = Agent.check_now(agent)
    stop_supervised!(Agent)
    F.purge([a])

    # The next start: the pending bundle boots, but this device's crypto is now untrusted.
    agent =
      start_agent(ctx, crypto: [DalaOta.CryptoTest.StubCrypto], health_window: 1, confirm_after: 2)

    assert %{problem: :no_trusted_crypto, running: %{sequence: 1}} = Agent.status(agent)
    wait_until(fn -> match?({:ok, %{survived: true}}, Installed.pointer(F.st(ctx.dir))) end)
    wait_until(fn -> Agent.current(agent).status == :confirmed end, 4000)
  end

  test "the running pending bundle can be confirmed while another is staged",
       %{mods: [a, b]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))
    agent = start_agent(ctx)
    {:ok, {:applied, 1}} = Agent.check_now(agent)
    offer(ctx, F.release(2, [{a, 2}, {b, 2}], apply_mode: :next_start))
    {:ok, {:staged, 2}} = Agent.check_now(agent)

    assert Agent.confirm(agent) == :ok
    assert Agent.current(agent) == %{sequence: 1, label: "v1", status: :confirmed}

    assert {:ok, %{sequence: 2, status: :pending, previous: %{sequence: 1, status: :confirmed}}} =
             Installed.pointer(F.st(ctx.dir))

    assert {:ok, _, _} = Installed.modules(F.st(ctx.dir), 1)
    wait_until(fn -> {:confirmed, 1} in event_kinds(ctx) end)
  end

  test "a crash during a check logs no argument it carried", ctx do
    agent = start_agent(ctx, transport: DalaOta.AgentResilienceTest.LeakyTransport)

    log =
      ExUnit.CaptureLog.capture_log(fn ->
        assert {:error, {:crashed, why}} = Agent.check_now(agent)
        refute why =~ "SECRET"
      end)

    assert log =~ "check failed"
    assert log =~ "binary_to_integer/1"
    refute log =~ "SECRET"
  end

  test "the check worker's heap is capped as configured", ctx do
    FakeServer.set(ctx.server, :checkin, fn _ -> Process.sleep(1500) end)
    agent = start_agent(ctx, max_worker_heap_bytes: 20 * 1024 * 1024, check_timeout: 5000)
    task = Task.async(fn -> Agent.check_now(agent) end)
    wait_until(fn -> Agent.status(agent).checking end)
    {pid, _, :check} = :sys.get_state(agent).worker
    words = div(20 * 1024 * 1024, :erlang.system_info(:wordsize))
    assert {:max_heap_size, %{size: ^words, kill: true}} = Process.info(pid, :max_heap_size)
    Task.await(task)
  end

  test "an oversized check-in answer is the server's fault, not the device being offline",
       %{mods: [a, _]} = ctx do
    DalaOta.Events.enqueue(
      F.st(ctx.dir),
      %{kind: :confirmed, sequence: 1, reason: nil, bytes: nil, at: 0},
      10
    )

    FakeServer.set(ctx.server, :checkin, fn _ -> :binary.copy("x", 2048) end)
    agent = start_agent(ctx, max_checkin_bytes: 1024)
    assert Agent.check_now(agent) == {:error, {:checkin_too_large, 2048, 1024}}
    # Queued reports still went out.
    assert {:confirmed, 1} in event_kinds(ctx)
    _ = a
  end

  test "a report refused with 401 or 403 stays queued", %{mods: [a, _]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))

    for status <- [401, 403] do
      FakeServer.set(ctx.server, :event_status, status)
      agent = start_agent(ctx)
      {:ok, _} = Agent.check_now(agent)
      assert %{queued_events: 2} = Agent.status(agent)
      stop_supervised!(Agent)
      no_update(ctx)
    end

    FakeServer.set(ctx.server, :event_status, 204)
    agent = start_agent(ctx)
    {:ok, _} = Agent.check_now(agent)
    assert %{queued_events: 0} = Agent.status(agent)
    assert [{:downloaded, 1}, {:applied, 1}] = event_kinds(ctx)
  end
end

defmodule DalaOta.AgentResilienceTest.LeakyTransport do
  @moduledoc "A transport that crashes in a call whose argument is a secret, as a bug might."
  @behaviour DalaOta.Transport

  @impl true
  def request(_method, _url, _headers, _body, _opts),
    do: String.to_integer(Process.get(:dala_ota_test_secret, "session-cookie-SECRET"))

  @impl true
  def download(_url, _headers, _path, _opts), do: {:error, :not_used}
end
