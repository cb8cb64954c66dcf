defmodule DalaOta.AgentTest do
  @moduledoc "The agent end to end in the test VM: check-ins, updates over HTTP and sessions, offline, timers."
  use DalaOta.Test.AgentCase, async: false

  test "a check-in without an update says so, with every field the server needs", ctx do
    no_update(ctx)
    agent = start_agent(ctx)
    assert Agent.check_now(agent) == {:ok, {:no_update, "up_to_date"}}
    assert [req] = FakeServer.checkins(ctx.server)

    assert %{
             channel_key: "ck_0123456789abcdef",
             install_id: "install-0001",
             platform: "android",
             otp_release: "25",
             current_sequence: 0
           } = req

    assert req.base_fingerprint == Forge.base().fingerprint and
             req.agent_version == DalaOta.version()

    # Distribution is off by policy: no session key.
    refute Map.has_key?(req, :session_key)
  end

  test "each check-in carries a fresh ephemeral X25519 key when sessions are allowed", ctx do
    no_update(ctx)
    agent = start_agent(ctx, distribution: :auto)
    {:ok, _} = Agent.check_now(agent)
    {:ok, _} = Agent.check_now(agent)

    assert [
             %{session_key: <<_::binary-size(32)>> = k1},
             %{session_key: <<_::binary-size(32)>> = k2}
           ] = FakeServer.checkins(ctx.server)

    assert k1 != k2
  end

  test "an install id is made once and kept", ctx do
    no_update(ctx)

    opts =
      F.options(ctx.dir,
        transport: DalaOta.Transport.Bridge,
        bridge: ctx.server,
        distribution: :never,
        install_id: :generated
      )

    start_supervised!({Agent, Keyword.put(opts, :name, :agent_id_test)})
    {:ok, _} = Agent.check_now(:agent_id_test)
    assert [%{install_id: "dala-" <> hex}] = FakeServer.checkins(ctx.server)
    assert byte_size(hex) == 32
    assert %{install_id: "dala-" <> ^hex} = Agent.status(:agent_id_test)
  end

  describe "an update over HTTP" do
    test "is verified, installed, hot-loaded and reported; confirm makes it final",
         %{mods: [a, b]} = ctx do
      v1 = F.release(1, [{a, 1}, {b, 1}])
      offer(ctx, v1)
      agent = start_agent(ctx)
      assert Agent.check_now(agent) == {:ok, {:applied, 1}}
      assert a.version() == 1 and b.version() == 1
      assert Agent.current(agent) == %{sequence: 1, label: "v1", status: :pending}

      assert {:ok, %{sequence: 1, status: :pending, mode: :hot}} =
               Installed.pointer(F.st(ctx.dir))

      assert [{:downloaded, 1}, {:applied, 1}] = event_kinds(ctx)
      assert hd(FakeServer.events(ctx.server)).bytes == byte_size(v1.bundle)

      assert Agent.confirm(agent) == :ok
      assert Agent.current(agent) == %{sequence: 1, label: "v1", status: :confirmed}
      assert Agent.confirm(agent) == {:error, :nothing_to_confirm}
      wait_until(fn -> {:confirmed, 1} in event_kinds(ctx) end)
    end

    test "a next-start release is staged and loads at the next boot", %{mods: [a, _]} = ctx do
      v1 = F.release(1, [{a, 1}], apply_mode: :next_start)
      offer(ctx, v1)
      agent = start_agent(ctx)
      assert Agent.check_now(agent) == {:ok, {:staged, 1}}
      refute :erlang.module_loaded(a)

      assert %{running: %{sequence: 0}, staged: %{sequence: 1, status: :pending}} =
               Agent.status(agent)

      assert Agent.check_now(agent) == {:ok, {:already_staged, 1}}
      assert Agent.confirm(agent) == {:error, :nothing_to_confirm}

      # The next start.
      stop_supervised!(Agent)
      assert {:ok, %{sequence: 1, status: :pending}} = Boot.load(F.options(ctx.dir))
      assert a.version() == 1
    end

    test "the app's configuration can force staging", %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      agent = start_agent(ctx, apply_mode: :next_start)
      assert Agent.check_now(agent) == {:ok, {:staged, 1}}
    end

    test "a module that fails to load leaves everything as it was and is reported",
         %{mods: [a, b]} = ctx do
      failing =
        Beams.compile(
          "-module('#{b}').\n-on_load(init/0).\n-export([version/0]).\ninit() -> refuse.\nversion() -> 1.\n"
        )

      trust = ctx.trust
      modules = [{Atom.to_string(a), Beams.versioned(a, 1)}, {Atom.to_string(b), failing}]
      manifest = Forge.manifest(modules, sequence: 1, app: "com.example.test")
      envelope = Forge.signed_manifest(trust, manifest)

      offer(ctx, %{
        manifest: manifest,
        envelope: envelope,
        bundle: Forge.bundle(envelope, modules)
      })

      agent = start_agent(ctx)
      assert {:error, {:apply_failed, {:load_failed, ^b, _}}} = Agent.check_now(agent)
      refute :erlang.module_loaded(a)
      assert Agent.current(agent) == %{sequence: 0, label: nil, status: :base}
      assert {:ok, nil} = Installed.pointer(F.st(ctx.dir))
      assert {:failed, 1} in event_kinds(ctx)
    end
  end

  test "the agent keeps its data in any DalaOta.Store", %{mods: [a, _]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))
    agent = start_agent(ctx, store: DalaOta.Test.MemoryStore)
    assert Agent.check_now(agent) == {:ok, {:applied, 1}}
    keys = DalaOta.Test.MemoryStore.keys(ctx.dir)
    assert "current" in keys and "state.etf" in keys and "1/bundle.etf" in keys
    assert Enum.any?(keys, &String.starts_with?(&1, "events/")) == false
    # Only the download's temporary file ever touched the data directory, and it is gone.
    assert File.ls!(ctx.dir) == []
  end

  describe "an update over a distribution session" do
    # Plays the server's side of docs/protocol.md in the test VM (see FakeDist).
    defp session_server(test, release, opts) do
      fn ->
        spawn(fn ->
          send(
            :dala_ota_session,
            {:dala_ota, 1, :offer,
             %{
               session: :persistent_term.get(:session_id),
               server: self(),
               sequence: release.manifest.sequence,
               manifest: release.envelope,
               modules: 2,
               expires_at: 0
             }}
          )

          id = :persistent_term.get(:session_id)

          receive do
            {:dala_ota, 1, :want, %{modules: wanted}} ->
              send(test, {:wanted, wanted})

              by_sha =
                Map.new(release.modules, fn {n, b} -> {:crypto.hash(:sha256, b), {n, b}} end)

              for sha <- wanted,
                  {n, b} = by_sha[sha],
                  do:
                    send(
                      :dala_ota_session,
                      {:dala_ota, 1, :module, %{session: id, sha256: sha, name: n, beam: b}}
                    )

              send(
                :dala_ota_session,
                {:dala_ota, 1, :sent, %{session: id, modules: length(wanted), bytes: 0}}
              )
          end

          receive do
            {:dala_ota, 1, :result, %{result: r}} ->
              send(test, {:result, r})

              unless opts[:no_bye],
                do: send(:dala_ota_session, {:dala_ota, 1, :bye, %{session: id, recorded: r}})
          end
        end)
      end
    end

    defp offer_session(ctx, release, opts \\ []) do
      update = Forge.update(release.manifest, release.envelope, release.bundle)
      {server_public, _} = :crypto.generate_key(:ecdh, :x25519)
      id = :crypto.strong_rand_bytes(16)
      :persistent_term.put(:session_id, id)

      session = %{
        protocol: 1,
        id: id,
        server_node: "ota@127.0.0.1",
        device_node: "dala_#{Base.encode16(id, case: :lower)}@device.invalid",
        server_key: server_public,
        expires_at: :os.system_time(:second) + 120
      }

      answer(ctx, fn _ -> {:update, Map.put(update, :session, session)} end)
      FakeDist.setup(:"ota@127.0.0.1", session_server(self(), release, opts))
    end

    test "a result the server never acknowledges is reported over HTTP", %{mods: [a, _]} = ctx do
      offer_session(ctx, F.release(1, [{a, 1}]), no_bye: true)
      agent = start_agent(ctx, distribution: :auto, dist: FakeDist, bye_timeout: 100)
      assert Agent.check_now(agent) == {:ok, {:applied, 1}}
      assert_received {:result, :applied}
      assert {:applied, 1} in event_kinds(ctx)
    end

    test "a check killed at its deadline mid-session leaves the session cookie dead", ctx do
      offer_session(ctx, F.release(1, [{hd(ctx.mods), 1}]))
      # The server connects and never offers.
      FakeDist.setup(:"ota@127.0.0.1", fn -> :ok end)

      agent =
        start_agent(ctx,
          distribution: :auto,
          dist: FakeDist,
          offer_timeout: 60_000,
          check_timeout: 1000
        )

      assert Agent.check_now(agent) == {:error, :check_timeout}
      assert_received {:fake_dist, :connect, server, cookie}
      assert Node.alive?()
      refute :erlang.get_cookie(server) == cookie
    end

    test "only the modules the device lacks cross, and the server hears the result",
         %{mods: [a, b]} = ctx do
      v1 = F.release(1, [{a, 1}, {b, 1}])
      offer_session(ctx, v1)
      agent = start_agent(ctx, distribution: :auto, dist: FakeDist)
      assert Agent.check_now(agent) == {:ok, {:applied, 1}}
      assert_received {:wanted, wanted}
      assert length(wanted) == 2
      assert_received {:result, :applied}
      assert_received {:fake_dist, :stop, :"ota@127.0.0.1"}
      refute Node.alive?()
      # The server files downloaded and applied itself from the session.
      assert FakeServer.events(ctx.server) == []
      refute Enum.any?(FakeServer.requests(ctx.server), &String.contains?(&1, "bundle"))
      :ok = Agent.confirm(agent)

      v2 = F.release(2, [{a, 2}, {b, 1}])
      offer_session(ctx, v2)
      assert Agent.check_now(agent) == {:ok, {:applied, 2}}
      [{_, a2} | _] = v2.modules
      assert_received {:wanted, [only]}
      assert only == :crypto.hash(:sha256, a2)
      assert a.version() == 2 and b.version() == 1
      # The unchanged module was copied from the running bundle.
      assert {:ok, _, [_, _]} = Installed.modules(F.st(ctx.dir), 2)
    end

    test "when the session cannot run, the same bundle comes over HTTP", %{mods: [a, _]} = ctx do
      v1 = F.release(1, [{a, 1}])
      offer_session(ctx, v1)
      FakeServer.set(ctx.server, :bundles, %{"/device/v1/releases/1/bundle" => v1.bundle})
      FakeDist.setup(:"ota@127.0.0.1", fn -> :ok end, fail: :connect)
      agent = start_agent(ctx, distribution: :auto, dist: FakeDist)
      assert Agent.check_now(agent) == {:ok, {:applied, 1}}
      assert_received {:fake_dist, :stop, _}
      assert [{:downloaded, 1}, {:applied, 1}] = event_kinds(ctx)
    end
  end

  test "without trusted crypto, queued reports still go out", %{mods: [a, _]} = ctx do
    offer(ctx, F.release(1, [{a, 1}]))
    agent = start_agent(ctx)
    FakeServer.set(ctx.server, :offline, true)
    {:error, {:offline, _}} = Agent.check_now(agent)
    stop_supervised!(Agent)
    # A report waits on disk; the device's crypto is now untrustworthy.
    DalaOta.Events.enqueue(
      F.st(ctx.dir),
      %{kind: :failed, sequence: 1, reason: "r", bytes: nil, at: 0},
      10
    )

    FakeServer.set(ctx.server, :offline, false)
    start_agent(ctx, crypto: [DalaOta.CryptoTest.StubCrypto], first_checkin: 0, checkin_jitter: 0)
    wait_until(fn -> {:failed, 1} in event_kinds(ctx) end)
  end

  test "with only untrustworthy crypto the agent runs but refuses to update", ctx do
    no_update(ctx)
    agent = start_agent(ctx, crypto: [DalaOta.CryptoTest.StubCrypto])
    assert Agent.check_now(agent) == {:error, :no_trusted_crypto}
    assert %{problem: :no_trusted_crypto, crypto: nil} = Agent.status(agent)
    assert FakeServer.checkins(ctx.server) == []
  end

  test "an invalid configuration does not stop the app", ctx do
    start_supervised!({Agent, name: :agent_bad_config, server_url: "nope", data_dir: ctx.dir})
    assert {:error, {:invalid_config, problems}} = Agent.check_now(:agent_bad_config)
    assert Keyword.has_key?(problems, :server_url)
    assert %{problem: {:invalid_config, _}} = Agent.status(:agent_bad_config)
    assert Agent.confirm(:agent_bad_config) == {:error, :nothing_to_confirm}
  end

  test "options that are not even a keyword list start an agent that says so" do
    start_supervised!({Agent, "not options"})

    assert Agent.check_now() ==
             {:error, {:invalid_config, [options: "must be a keyword list or a map"]}}

    assert Boot.load("not options") ==
             {:error, {:invalid_config, [options: "must be a keyword list or a map"]}}
  end

  test "the API answers even when no agent runs" do
    assert Agent.status(:no_such_agent) == {:error, :agent_not_running}
    assert Agent.check_now(:no_such_agent) == {:error, :agent_not_running}
  end

  describe "offline" do
    test "the device keeps its bundle, queues reports on disk, and sends them once online",
         %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      agent = start_agent(ctx)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      FakeServer.set(ctx.server, :offline, true)
      assert Agent.confirm(agent) == :ok
      assert {:error, {:offline, _}} = Agent.check_now(agent)
      assert %{queued_events: 1} = Agent.status(agent)

      # A restart while offline: the confirmed bundle still boots.
      stop_supervised!(Agent)
      F.purge([a])
      agent = start_agent(ctx)
      assert a.version() == 1
      assert Agent.current(agent) == %{sequence: 1, label: "v1", status: :confirmed}

      FakeServer.set(ctx.server, :offline, false)
      no_update(ctx)
      assert Agent.check_now(agent) == {:ok, {:no_update, "up_to_date"}}
      assert {:confirmed, 1} in event_kinds(ctx)
      assert %{queued_events: 0} = Agent.status(agent)
    end

    test "a report the server refuses for good is dropped; one it cannot take now is kept",
         %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      FakeServer.set(ctx.server, :event_status, 503)
      agent = start_agent(ctx)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      assert %{queued_events: 2} = Agent.status(agent)
      FakeServer.set(ctx.server, :event_status, 422)
      no_update(ctx)
      {:ok, _} = Agent.check_now(agent)
      assert %{queued_events: 0} = Agent.status(agent)
    end

    test "an answer to a report larger than allowed is not read, and the report is kept",
         %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      FakeServer.set(ctx.server, :event_body, :binary.copy("x", 2048))
      agent = start_agent(ctx, max_report_answer_bytes: 1024)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      assert %{queued_events: 2} = Agent.status(agent)
      FakeServer.set(ctx.server, :event_body, "")
      no_update(ctx)
      {:ok, _} = Agent.check_now(agent)
      assert %{queued_events: 0} = Agent.status(agent)
    end
  end

  test "the crypto known-answer tests run under the configured deadline", ctx do
    no_update(ctx)

    agent = start_agent(ctx, crypto: [DalaOta.CryptoTest.Hangs], crypto_check_timeout: 200)

    assert Agent.check_now(agent) == {:error, :no_trusted_crypto}
  end

  describe "timers" do
    test "the agent checks in on its own", ctx do
      no_update(ctx)
      start_agent(ctx, first_checkin: 0, checkin_interval: 1, checkin_jitter: 0)
      wait_until(fn -> length(FakeServer.checkins(ctx.server)) >= 2 end)
    end

    test "a bundle that outlives its health window is marked as having survived",
         %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      agent = start_agent(ctx, health_window: 1)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      assert {:ok, %{survived: false}} = Installed.pointer(F.st(ctx.dir))
      wait_until(fn -> match?({:ok, %{survived: true}}, Installed.pointer(F.st(ctx.dir))) end)
    end

    test "confirm_after confirms by itself", %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      agent = start_agent(ctx, confirm_after: 1)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      wait_until(fn -> Agent.current(agent).status == :confirmed end)
    end

    test "a check that overruns its deadline is stopped, and the agent goes on", ctx do
      FakeServer.set(ctx.server, :checkin, fn _ -> Process.sleep(3000) end)
      agent = start_agent(ctx, check_timeout: 1000)
      assert Agent.check_now(agent) == {:error, :check_timeout}

      assert %{checking: false, last_check: %{result: {:error, :check_timeout}}} =
               Agent.status(agent)
    end
  end
end
