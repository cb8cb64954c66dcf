defmodule DalaOta.SessionTest do
  # The session starts distribution in the test VM (through FakeDist) and registers a name.
  use ExUnit.Case, async: false

  alias DalaOta.Session
  alias DalaOta.Test.FakeDist

  @server "ota@127.0.0.1"

  setup do
    on_exit(fn -> :net_kernel.stop() end)
    id = :crypto.strong_rand_bytes(16)
    {server_public, _} = :crypto.generate_key(:ecdh, :x25519)
    {device_public, device_secret} = :crypto.generate_key(:ecdh, :x25519)
    now = :os.system_time(:second)

    session = %{
      protocol: 1,
      id: id,
      server_node: @server,
      device_node: "dala_" <> Base.encode16(id, case: :lower) <> "@device.invalid",
      server_key: server_public,
      expires_at: now + 120
    }

    modules =
      for {name, beam} <- [{"a", "AAAA"}, {"b", "BB"}],
          do: %{
            name: name,
            sha256: :crypto.hash(:sha256, beam),
            size: byte_size(beam),
            beam: beam
          }

    params = %{
      session: session,
      crypto: DalaOta.Crypto.Otp,
      dist: FakeDist,
      install_id: "install-0001",
      device_public: device_public,
      device_secret: device_secret,
      expected_manifest: "MANIFEST",
      verify_manifest: fn _ -> :ok end,
      now: now,
      random_cookie: fn -> :"random#{System.unique_integer([:positive])}" end,
      timeouts: %{start: 1000, offer: 500, module: 500, bye: 500}
    }

    {:ok, params: params, id: id, modules: modules}
  end

  # Plays the server: offers, serves what is asked for (`serve` may alter it), reports to the test.
  defp server(test, id, modules, opts \\ []) do
    fn ->
      spawn(fn ->
        Process.sleep(10)
        manifest = Keyword.get(opts, :manifest, "MANIFEST")

        send(
          :dala_ota_session,
          {:dala_ota, 1, :offer,
           %{
             session: id,
             server: self(),
             sequence: 2,
             manifest: manifest,
             modules: length(modules),
             expires_at: 0
           }}
        )

        receive do
          {:dala_ota, 1, :want, %{session: ^id, modules: wanted}} ->
            send(test, {:wanted, wanted})
            serve = Keyword.get(opts, :serve, & &1)

            for sha <- wanted, m = Enum.find(modules, &(&1.sha256 == sha)) do
              send(
                :dala_ota_session,
                {:dala_ota, 1, :module,
                 serve.(%{session: id, sha256: m.sha256, name: m.name, beam: m.beam})}
              )
            end

            send(
              :dala_ota_session,
              {:dala_ota, 1, :sent, %{session: id, modules: length(wanted), bytes: 6}}
            )

            receive do:
                      ({:dala_ota, 1, :result, %{result: r}} ->
                         send(test, {:result, r})

                         send(
                           :dala_ota_session,
                           {:dala_ota, 1, :bye, %{session: id, recorded: :applied}}
                         ))

          {:dala_ota, 1, :result, %{result: r}} ->
            send(test, {:result, r})

            unless opts[:no_bye],
              do: send(:dala_ota_session, {:dala_ota, 1, :bye, %{session: id, recorded: :failed}})
        end
      end)
    end
  end

  test "a whole session: connect with the derived cookie, take the offer, fetch, report, stop", %{
    params: p,
    id: id,
    modules: modules
  } do
    FakeDist.setup(:"#{@server}", server(self(), id, modules))
    assert {:ok, s} = Session.open(p)
    device = String.to_atom(p.session.device_node)
    assert_received {:fake_dist, :start, ^device}
    assert_received {:fake_dist, :connect, :"ota@127.0.0.1", cookie}
    # The cookie is the one both sides derive; it is never sent anywhere.
    {:ok, expected} =
      DalaOta.SessionCookie.derive(
        DalaOta.Crypto.Otp,
        p.device_secret,
        p.device_public,
        p.install_id,
        p.session
      )

    assert Atom.to_string(cookie) == expected
    assert Process.whereis(:dala_ota_session) == self()

    entries = Enum.map(modules, &Map.delete(&1, :beam))
    assert {:ok, fetched, %{modules: 1}} = Session.fetch(s, tl(entries))
    assert_received {:wanted, [sha_b]}
    assert fetched == %{sha_b => "BB"}
    assert Session.finish(s, :applied) == {:ok, :applied}
    assert_received {:result, :applied}
    assert Session.close(s) == :ok
    assert_received {:fake_dist, :stop, :"ota@127.0.0.1"}
    assert Process.whereis(:dala_ota_session) == nil
  end

  test "an offer whose manifest is not the one the check-in offered is refused and reported", %{
    params: p,
    id: id,
    modules: modules
  } do
    FakeDist.setup(:"#{@server}", server(self(), id, modules, manifest: "OTHER"))
    assert Session.open(p) == {:error, {:rejected, :manifest_not_offered}}
    assert_receive {:result, {:failed, "manifest_not_offered"}}
    assert_received {:fake_dist, :stop, _}
    assert Process.whereis(:dala_ota_session) == nil
  end

  test "a manifest that fails verification is refused with its problems", %{
    params: p,
    id: id,
    modules: modules
  } do
    FakeDist.setup(:"#{@server}", server(self(), id, modules))
    p = %{p | verify_manifest: fn _ -> {:error, {:manifest_rejected, [:role_key_revoked]}} end}
    assert Session.open(p) == {:error, {:rejected, {:manifest_rejected, [:role_key_revoked]}}}
    assert_receive {:result, {:failed, "manifest_rejected: role_key_revoked"}}
  end

  test "a module whose bytes do not match its hash is refused", %{
    params: p,
    id: id,
    modules: modules
  } do
    tamper = fn m -> %{m | beam: "XX"} end
    FakeDist.setup(:"#{@server}", server(self(), id, modules, serve: tamper))
    {:ok, s} = Session.open(p)
    entries = Enum.map(modules, &Map.delete(&1, :beam))
    assert Session.fetch(s, tl(entries)) == {:error, {:rejected, {:module_hash_mismatch, "b"}}}
    Session.close(s)
  end

  test "a module the device did not ask for is refused", %{params: p, id: id, modules: modules} do
    swap = fn m -> %{m | name: "c"} end
    FakeDist.setup(:"#{@server}", server(self(), id, modules, serve: swap))
    {:ok, s} = Session.open(p)

    assert Session.fetch(s, Enum.map(modules, &Map.delete(&1, :beam))) ==
             {:error, {:rejected, {:module_not_requested, "c"}}}

    Session.close(s)
  end

  test "no offer, an abort and a refused connection all mean: download over HTTP instead", %{
    params: p,
    id: id
  } do
    FakeDist.setup(:"#{@server}", fn -> :ok end)
    assert Session.open(p) == {:error, {:unavailable, :no_offer}}
    assert_received {:fake_dist, :stop, _}

    FakeDist.setup(:"#{@server}", fn ->
      spawn(fn ->
        send(:dala_ota_session, {:dala_ota, 1, :abort, %{session: id, reason: :want_timeout}})
      end)
    end)

    assert Session.open(p) == {:error, {:unavailable, {:aborted, :want_timeout}}}

    FakeDist.setup(:"#{@server}", fn -> :ok end, fail: :connect)
    assert Session.open(p) == {:error, {:unavailable, :connect_refused}}
    assert_received {:fake_dist, :stop, _}

    FakeDist.setup(:"#{@server}", fn -> :ok end, fail: :start)
    assert Session.open(p) == {:error, {:unavailable, :refused_by_test}}
  end

  test "a server that stalls after the request, or never says goodbye, is given up on in time", %{
    params: p,
    id: id,
    modules: modules
  } do
    # Offers, then never sends the modules asked for.
    stall = fn ->
      spawn(fn ->
        send(
          :dala_ota_session,
          {:dala_ota, 1, :offer, %{session: id, server: self(), manifest: "MANIFEST"}}
        )

        Process.sleep(5000)
      end)
    end

    FakeDist.setup(:"#{@server}", stall)
    {:ok, s} = Session.open(p)
    started = System.monotonic_time(:millisecond)

    assert Session.fetch(s, Enum.map(modules, &Map.delete(&1, :beam))) ==
             {:error, {:unavailable, :module_timeout}}

    assert Session.finish(s, :applied) == {:ok, :no_bye}
    # module_timeout and bye_timeout are both 500 ms here.
    assert (System.monotonic_time(:millisecond) - started) in 900..3000
    Session.close(s)
  end

  test "messages for another session are ignored", %{params: p, id: id, modules: modules} do
    script = fn ->
      spawn(fn ->
        send(
          :dala_ota_session,
          {:dala_ota, 1, :offer,
           %{session: :crypto.strong_rand_bytes(16), server: self(), manifest: "MANIFEST"}}
        )
      end)

      server(self(), id, modules).()
    end

    FakeDist.setup(:"#{@server}", script)
    assert {:ok, s} = Session.open(p)
    Session.close(s)
  end

  test "sessions refused before anything starts: expired, low-order key, odd node names", %{
    params: p
  } do
    FakeDist.setup(:"#{@server}", fn -> :ok end)

    assert Session.open(%{p | now: p.session.expires_at}) ==
             {:error, {:unavailable, :session_expired}}

    assert Session.open(put_in(p.session.server_key, <<0::256>>)) ==
             {:error, {:rejected, :weak_server_key}}

    assert Session.open(put_in(p.session.device_node, "dala_other@device.invalid")) ==
             {:error, {:rejected, :bad_device_node}}

    assert Session.open(put_in(p.session.server_node, "ota@localhost")) ==
             {:error, {:rejected, :bad_server_node}}

    assert Session.open(put_in(p.session.protocol, 2)) ==
             {:error, {:unavailable, {:unsupported_protocol, 2}}}

    refute_received {:fake_dist, _, _}
  end

  test "a second session while one holds the name starts nothing", %{params: p} do
    Process.register(self(), :dala_ota_session)
    FakeDist.setup(:"#{@server}", fn -> :ok end)
    assert Session.open(p) == {:error, {:unavailable, :session_name_taken}}
    refute_received {:fake_dist, _, _}
  after
    if Process.whereis(:dala_ota_session) == self(), do: Process.unregister(:dala_ota_session)
  end

  test "a refusal the server never acknowledges is told apart, for the caller to report", %{
    params: p,
    id: id,
    modules: modules
  } do
    FakeDist.setup(:"#{@server}", server(self(), id, modules, manifest: "OTHER", no_bye: true))
    assert Session.open(p) == {:error, {:rejected_unrecorded, :manifest_not_offered}}
    assert_receive {:result, {:failed, "manifest_not_offered"}}
  end

  test "a module over the device's module cap is refused before its hash is computed", %{
    params: p,
    id: id,
    modules: modules
  } do
    big = fn m -> %{m | beam: :binary.copy("x", 2048)} end
    FakeDist.setup(:"#{@server}", server(self(), id, modules, serve: big))

    {:ok, s} =
      Session.open(Map.put(p, :limits, %{max_module_bytes: 1024, max_bundle_bytes: 4096}))

    assert Session.fetch(s, tl(Enum.map(modules, &Map.delete(&1, :beam)))) ==
             {:error, {:rejected, {:too_large, {:module, "b", 2048, 1024}}}}

    Session.close(s)
  end

  test "modules past the device's bundle cap are refused", %{params: p, id: id, modules: modules} do
    FakeDist.setup(:"#{@server}", server(self(), id, modules))
    {:ok, s} = Session.open(Map.put(p, :limits, %{max_module_bytes: 1024, max_bundle_bytes: 5}))

    assert Session.fetch(s, Enum.map(modules, &Map.delete(&1, :beam))) ==
             {:error, {:rejected, {:too_large, {:bundle, 6, 5}}}}

    Session.close(s)
  end

  test "a module beyond the ones the device asked for is refused", %{
    params: p,
    id: id,
    modules: modules
  } do
    # Serves every module whatever was asked for: one more than wanted.
    FakeDist.setup(:"#{@server}", fn ->
      spawn(fn ->
        send(
          :dala_ota_session,
          {:dala_ota, 1, :offer, %{session: id, server: self(), manifest: "MANIFEST"}}
        )

        receive do
          {:dala_ota, 1, :want, _} ->
            for m <- modules,
                do: send(:dala_ota_session, {:dala_ota, 1, :module, Map.put(m, :session, id)})

            send(:dala_ota_session, {:dala_ota, 1, :sent, %{session: id, modules: 1, bytes: 2}})
        end
      end)
    end)

    {:ok, s} = Session.open(p)
    entries = Enum.map(modules, &Map.delete(&1, :beam))
    assert Session.fetch(s, [hd(entries)]) == {:error, {:rejected, :too_many_modules}}
    Session.close(s)
  end

  test "distribution the app already runs is refused, and left exactly as it was", %{params: p} do
    {:ok, _} =
      :net_kernel.start(:"app@host.example", %{name_domain: :longnames, dist_listen: false})

    :erlang.set_cookie(:app_cookie)
    p = %{p | dist: DalaOta.Distribution.Beam}

    assert Session.open(p) ==
             {:error, {:unavailable, {:distribution_running, :"app@host.example"}}}

    assert Node.self() == :"app@host.example"
    assert :erlang.get_cookie() == :app_cookie
    assert Process.whereis(:dala_ota_session) == nil
  end
end
