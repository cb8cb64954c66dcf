defmodule DalaOta.AgentAttacksTest do
  @moduledoc """
  What an attacker on the path, or a server that went wrong, can try against the agent. Each
  leaves nothing loaded, the app running, and an `{:error, reason}` that names the problem.
  """
  use DalaOta.Test.AgentCase, async: false

  describe "attacks: nothing is loaded, the error names the problem, the app goes on" do
    setup %{mods: [a, b]} = ctx do
      v1 = F.release(1, [{a, 1}, {b, 1}])
      offer(ctx, v1)
      agent = start_agent(ctx)
      {:ok, {:applied, 1}} = Agent.check_now(agent)
      :ok = Agent.confirm(agent)
      {:ok, agent: agent}
    end

    defp untouched(ctx, agent) do
      [a, b] = ctx.mods
      assert a.version() == 1 and b.version() == 1
      assert Agent.current(agent) == %{sequence: 1, label: "v1", status: :confirmed}
      assert {:ok, %{sequence: 1}} = Installed.pointer(F.st(ctx.dir))
      refute File.exists?(Path.join(ctx.dir, "2"))
    end

    test "a tampered module", %{agent: agent, mods: [a, b]} = ctx do
      v2 = F.release(2, [{a, 2}, {b, 2}])
      [{name, bytes} | rest] = v2.modules

      offer(ctx, v2,
        bundle:
          Forge.bundle(v2.envelope, [{name, bytes <> "x"} | rest])
          |> binary_part(0, byte_size(v2.bundle) + 1)
      )

      assert {:error, {:bundle_rejected, problems}} = Agent.check_now(agent)

      # The module grew by a byte: its declared size no longer holds, nor the file's hash.
      assert problems == [:bundle_hash_mismatch, {:module_size_mismatch, name}]

      untouched(ctx, agent)
      assert {:failed, 2} in event_kinds(ctx)
    end

    test "a module's bytes swapped for others of the same size",
         %{agent: agent, mods: [a, b]} = ctx do
      v2 = F.release(2, [{a, 2}, {b, 2}])
      [{name, bytes} | rest] = v2.modules
      <<first, tail::binary>> = bytes

      offer(ctx, v2,
        bundle:
          Forge.bundle(v2.envelope, [{name, <<Bitwise.bxor(first, 1), tail::binary>>} | rest])
      )

      assert {:error, {:bundle_rejected, problems}} = Agent.check_now(agent)
      assert :bundle_hash_mismatch in problems and {:module_hash_mismatch, name} in problems
      untouched(ctx, agent)
    end

    test "a manifest signed by an unknown key", %{agent: agent, mods: [a, _]} = ctx do
      stranger = Forge.trust(root: Forge.random_key(), release: Forge.random_key())
      v2 = F.release(2, [{a, 2}])
      envelope = Forge.signed_manifest(stranger, v2.manifest)
      offer(ctx, %{v2 | envelope: envelope, bundle: Forge.bundle(envelope, v2.modules)})
      assert Agent.check_now(agent) == {:error, {:manifest_rejected, [:root_not_pinned]}}
      refute "/device/v1/releases/2/bundle" in FakeServer.requests(ctx.server)
      untouched(ctx, agent)
    end

    test "a revoked release key", %{agent: agent, mods: [a, _], trust: trust} = ctx do
      v2 = F.release(2, [{a, 2}])
      list = Forge.revocations(trust.root, 1, [trust.release.id])
      offer(ctx, v2, answer: [revocations: list])
      assert Agent.check_now(agent) == {:error, {:manifest_rejected, [:role_key_revoked]}}
      untouched(ctx, agent)
      # The device remembers the list, even when later answers do not carry it.
      offer(ctx, v2)
      assert Agent.check_now(agent) == {:error, {:manifest_rejected, [:role_key_revoked]}}
    end

    test "a replayed older manifest", %{agent: agent, mods: [a, b]} = ctx do
      offer(ctx, F.release(1, [{a, 0}, {b, 0}]))
      assert Agent.check_now(agent) == {:error, {:manifest_rejected, [:sequence_not_higher]}}
      untouched(ctx, agent)
    end

    test "an answer older than the last one accepted (replay)", %{agent: agent} = ctx do
      answer(ctx, fn _ -> :none end, issued_at: :os.system_time(:second) - 60)
      assert Agent.check_now(agent) == {:error, {:checkin_rejected, [:checkin_replayed]}}
      untouched(ctx, agent)
    end

    test "an incompatible base", %{agent: agent, mods: [a, _]} = ctx do
      offer(ctx, F.release(2, [{a, 2}], bases: [%{Forge.base() | otp_release: "29"}]))
      assert Agent.check_now(agent) == {:error, {:manifest_rejected, [:base_incompatible]}}
      untouched(ctx, agent)
    end

    test "a bundle swapped for another release's", %{agent: agent, mods: [a, _]} = ctx do
      v2 = F.release(2, [{a, 2}])
      v3 = F.release(3, [{a, 3}])
      offer(ctx, v2, bundle: v3.bundle)
      assert {:error, {:bundle_rejected, problems}} = Agent.check_now(agent)
      assert :manifest_not_offered in problems
      untouched(ctx, agent)
    end

    test "a payload over the cap is refused before anything is fetched", %{mods: [a, _]} = ctx do
      # Random text: literals are compressed in a .beam, and this must stay big.
      big =
        Beams.versioned(
          a,
          2,
          {"big/0", "big() -> <<\"#{Base.encode64(:crypto.strong_rand_bytes(6000))}\">>."}
        )

      manifest = Forge.manifest([{Atom.to_string(a), big}], sequence: 2, app: "com.example.test")
      envelope = Forge.signed_manifest(ctx.trust, manifest)

      offer(ctx, %{
        manifest: manifest,
        envelope: envelope,
        bundle: Forge.bundle(envelope, [{Atom.to_string(a), big}])
      })

      stop_supervised!(Agent)
      agent = start_agent(ctx, max_module_bytes: 2048)
      assert {:error, {:too_large, {:module, _, size, 2048}}} = Agent.check_now(agent)
      assert size > 2048
      refute "/device/v1/releases/2/bundle" in FakeServer.requests(ctx.server)
      untouched(ctx, agent)
    end

    test "an update signed for another install", %{agent: agent, mods: [a, _]} = ctx do
      offer(ctx, F.release(2, [{a, 2}]), answer: [install_id: "someone-else"])

      assert Agent.check_now(agent) ==
               {:error, {:checkin_rejected, [:checkin_for_another_device]}}

      untouched(ctx, agent)
    end
  end

  describe "a frozen answer" do
    test "an answer held back until it expired is refused", %{mods: [a, _]} = ctx do
      no_update(ctx)
      agent = start_agent(ctx, clock: DalaOta.Test.Clock)
      DalaOta.Test.Clock.set_offset(600)
      on_exit(fn -> DalaOta.Test.Clock.set_offset(0) end)
      offer(ctx, F.release(1, [{a, 1}]))
      assert Agent.check_now(agent) == {:error, {:checkin_rejected, [:checkin_expired]}}
      refute :erlang.module_loaded(a)
    end
  end

  describe "caps from the configuration" do
    test "more modules than allowed, or more bytes in all, are refused before any download",
         %{mods: [a, b]} = ctx do
      # Random text, so the literal stays big in the compressed .beam.
      filler =
        {"filler/0", "filler() -> <<\"#{Base.encode64(:crypto.strong_rand_bytes(1500))}\">>."}

      modules = [
        {Atom.to_string(a), Beams.versioned(a, 1, filler)},
        {Atom.to_string(b), Beams.versioned(b, 1)}
      ]

      manifest = Forge.manifest(modules, sequence: 1, app: "com.example.test")
      envelope = Forge.signed_manifest(ctx.trust, manifest)

      offer(ctx, %{
        manifest: manifest,
        envelope: envelope,
        bundle: Forge.bundle(envelope, modules)
      })

      agent = start_agent(ctx, max_modules: 1)
      assert {:error, {:too_large, {:modules, 2, 1}}} = Agent.check_now(agent)
      stop_supervised!(Agent)
      agent = start_agent(ctx, max_bundle_bytes: 1024)
      assert {:error, {:too_large, {:bundle, total, 1024}}} = Agent.check_now(agent)
      assert total > 1024
      refute Enum.any?(FakeServer.requests(ctx.server), &String.ends_with?(&1, "/bundle"))
    end

    test "a check-in answer larger than allowed is not read", %{mods: [a, _]} = ctx do
      offer(ctx, F.release(1, [{a, 1}]))
      agent = start_agent(ctx, max_checkin_bytes: 1024)
      assert {:error, {:checkin_too_large, _, 1024}} = Agent.check_now(agent)
    end

    test "a bundle download larger than the caps allow is not kept", %{mods: [a, _]} = ctx do
      release = F.release(1, [{a, 1}])
      offer(ctx, release, bundle: release.bundle <> :binary.copy("x", 70_000))
      agent = start_agent(ctx, max_bundle_bytes: 1024, max_envelope_bytes: 4096)
      # The manifest itself is small enough; the bytes that arrive are not.
      assert {:error, {:download_failed, {:body_too_large, _, _}}} = Agent.check_now(agent)
      refute :erlang.module_loaded(a)
    end
  end
end
