defmodule DalaOta.E2E.Scenarios.Attacks do
  @moduledoc """
  Case 4 of issue 5, and the HTTP fallback it runs over. A device whose distribution cannot
  reach the server (nothing answers at its EPMD port) takes v1 over HTTP. Then a genuine v2 is
  offered and an attacker on the path swaps what arrives, or the device itself is weak. Each
  attack leaves nothing loaded or written, the app running, and an `{:error, reason}` that
  names the problem:

    * a tampered module;
    * a manifest signed by an unknown key;
    * a revoked role key (a stolen release key the root revoked);
    * a replayed older manifest (lower sequence);
    * an expired check-in answer;
    * an incompatible base;
    * a payload over the cap (never downloaded);
    * Dala's stub `crypto` with no NIF (and, as the control, with the NIF: v2 goes in).
  """

  import ExUnit.Assertions
  import DalaOta.E2E.Scenarios

  alias DalaOta.E2E.{Device, Mitm, Runtime, World}
  alias DalaOta.Test.Forge

  @doc "Runs the fallback, then every attack in turn against the same device."
  def run(ctx) do
    app = World.app(ctx.admin, "com.example.attacks#{ctx.rt.otp_release}", ctx.rt.otp_release)
    device = device_opts(ctx, app, "attacked", epmd_port: closed_port())
    {dev, a1} = http_fallback(ctx, app, device)

    # From here on a legitimate v2 is offered.
    a2 = World.publish(ctx.admin, app, "v2", [ctx.demo.v2])
    World.deploy(ctx.admin, app, a2)
    w = %{ctx: ctx, app: app, device: device, dev: dev, a1: a1, a2: a2}

    tampered_module(w)
    unknown_key(w)
    revoked_key(w)
    replayed_manifest(w)
    incompatible_base(w)
    expired_answer(w)
    Mitm.mode(ctx.mitm, :pass)
    stub_crypto(w)
    over_the_cap(w)
    Device.stop(dev)
  end

  # Distribution cannot connect: the same signed bundle comes over HTTP, verified alike.
  defp http_fallback(ctx, app, device) do
    a1 = World.publish(ctx.admin, app, "v1", [ctx.demo.v1])
    World.deploy(ctx.admin, app, a1)
    {:ready, dev, _} = Device.boot(ctx.rt, device)
    assert call(dev, DalaOta.Agent, :check_now) == {:ok, {:applied, a1.sequence}}
    assert call(dev, Demo.Greeter, :hello) == "v1"

    eventually(fn ->
      assert kinds(ctx.admin, app, device, a1.sequence) == ["applied", "downloaded", "offered"]
    end)

    {"downloaded", _, _, bytes} =
      List.keyfind(events_for(ctx.admin, app, device, a1.sequence), "downloaded", 0)

    assert bytes == byte_size(World.bundle(ctx.stack, app, a1)),
           "the whole signed bundle came over HTTP"

    assert %{last_check: %{delivery: %{via: :http, bytes: ^bytes}}} =
             call(dev, DalaOta.Agent, :status)

    assert call(dev, DalaOta.Agent, :confirm) == :ok
    {dev, a1}
  end

  defp tampered_module(w) do
    Mitm.mode(w.ctx.mitm, {:bundle, &flip_last_byte/1})
    assert {:error, {:bundle_rejected, problems}} = call(w.dev, DalaOta.Agent, :check_now)

    assert :bundle_hash_mismatch in problems and
             Enum.any?(problems, &match?({:module_hash_mismatch, _}, &1))

    unharmed(w)

    # The failure is reported, with the problems named.
    eventually(fn ->
      assert {"failed", _, reason, _} =
               List.keyfind(events_for(w.ctx.admin, w.app, w.device, w.a2.sequence), "failed", 0)

      assert reason =~ "bundle_rejected: bundle_hash_mismatch"
    end)
  end

  # The attacker's own root and release key.
  defp unknown_key(w) do
    stranger = Forge.trust(root: Forge.random_key(), release: Forge.random_key())
    chain = stranger.roots ++ [stranger.release_cert]
    Mitm.mode(w.ctx.mitm, {:bundle, &resign(&1, stranger.release, chain)})
    assert {:error, {:bundle_rejected, problems}} = call(w.dev, DalaOta.Agent, :check_now)
    assert :root_not_pinned in problems
    unharmed(w)
  end

  # The stolen release key, certified by the real root, revoked since.
  defp revoked_key(w) do
    stack = w.ctx.stack
    stolen = Forge.key(stack.stolen.seed)
    Mitm.mode(w.ctx.mitm, {:bundle, &resign(&1, stolen, stack.roots ++ [stack.stolen.cert])})
    assert {:error, {:bundle_rejected, problems}} = call(w.dev, DalaOta.Agent, :check_now)
    assert :role_key_revoked in problems
    unharmed(w)
  end

  # v1's own, genuine bundle, replayed.
  defp replayed_manifest(w) do
    old = World.bundle(w.ctx.stack, w.app, w.a1)
    Mitm.mode(w.ctx.mitm, {:bundle, fn _ -> old end})
    assert {:error, {:bundle_rejected, problems}} = call(w.dev, DalaOta.Agent, :check_now)
    assert :sequence_not_higher in problems
    unharmed(w)
  end

  # A genuine, newer release built for another base.
  defp incompatible_base(w) do
    b = World.publish(w.ctx.admin, w.app, "nif", [w.ctx.demo.nif])
    World.deploy(w.ctx.admin, w.app, b, channel: "other")
    other = World.bundle(w.ctx.stack, w.app, b, w.app.other_key)
    Mitm.mode(w.ctx.mitm, {:bundle, fn _ -> other end})
    assert {:error, {:bundle_rejected, problems}} = call(w.dev, DalaOta.Agent, :check_now)
    assert :base_incompatible in problems
    unharmed(w)
  end

  # Held back by the attacker, handed over after it expired.
  defp expired_answer(w) do
    Mitm.mode(w.ctx.mitm, :capture_checkin)
    assert {:error, {:checkin_refused, 503, _}} = call(w.dev, DalaOta.Agent, :check_now)
    call(w.dev, DalaOta.Test.Clock, :set_offset, [600])
    Mitm.mode(w.ctx.mitm, :replay_checkin)

    assert call(w.dev, DalaOta.Agent, :check_now) ==
             {:error, {:checkin_rejected, [:checkin_expired]}}

    call(w.dev, DalaOta.Test.Clock, :set_offset, [0])
    unharmed(w)
  end

  # Dala's stub crypto module first on the code path: with the NIF the genuine v2 goes in;
  # without it the agent verifies nothing, applies nothing, and the app runs its base.
  defp stub_crypto(w) do
    %{ctx: ctx, app: app} = w
    stubbed = device_opts(ctx, app, "stub-with-nif", crypto: :auto)

    {:ready, nif_dev, _} =
      Device.boot(ctx.rt, Keyword.put(stubbed, :paths, [ctx.stub | stubbed[:paths]]))

    assert %{crypto: DalaOta.Crypto.Nif} = call(nif_dev, DalaOta.Agent, :status)

    assert call(nif_dev, :code, :which, [:crypto])
           |> to_string()
           |> String.starts_with?(Runtime.inside(ctx.rt, ctx.stub))

    assert call(nif_dev, DalaOta.Agent, :check_now) == {:ok, {:applied, w.a2.sequence}}
    Device.stop(nif_dev)

    no_nif = device_opts(ctx, app, "stub-without-nif", crypto: :auto)

    no_nif =
      no_nif
      |> Keyword.put(:paths, [ctx.stub | no_nif[:paths]])
      |> Keyword.put(:env, [{"DALA_OTA_CRYPTO_NIF", "/nonexistent/dala_ota_crypto"}])

    {:ready, bare, _} = Device.boot(ctx.rt, no_nif)
    assert call(bare, DalaOta.Agent, :check_now) == {:error, :no_trusted_crypto}

    assert %{problem: :no_trusted_crypto, running: %{sequence: 0}} =
             call(bare, DalaOta.Agent, :status)

    assert call(bare, Demo.Greeter, :hello) == "v0"
    assert File.ls!(no_nif[:agent][:data_dir]) |> Enum.reject(&(&1 == "state.etf")) == []
    Device.stop(bare)
  end

  # The genuine server offers a release with a 200 KB module; the device's cap is 64 KiB, and
  # it never downloads it.
  defp over_the_cap(w) do
    big = World.publish(w.ctx.admin, w.app, "big", [w.ctx.demo.big])
    World.deploy(w.ctx.admin, w.app, big)
    Mitm.take_paths(w.ctx.mitm)

    assert {:error, {:too_large, {:module, "demo_big", size, 65_536}}} =
             call(w.dev, DalaOta.Agent, :check_now)

    assert size > 65_536
    refute Enum.any?(Mitm.take_paths(w.ctx.mitm), &String.ends_with?(&1, "/bundle"))
    unharmed(w)
    refute File.exists?(Path.join(data_dir(w), "#{big.sequence}"))
    assert List.keymember?(events_for(w.ctx.admin, w.app, w.device, big.sequence), "failed", 0)
  end

  # Nothing loaded, nothing staged, nothing written: the device runs v1 as before.
  defp unharmed(w) do
    assert call(w.dev, Demo.Greeter, :hello) == "v1"

    assert call(w.dev, DalaOta.Agent, :current) == %{
             sequence: w.a1.sequence,
             label: "v1",
             status: :confirmed
           }

    assert %{staged: nil} = call(w.dev, DalaOta.Agent, :status)
    refute File.exists?(Path.join(data_dir(w), "#{w.a2.sequence}"))
    refute File.exists?(Path.join(data_dir(w), "download.bundle"))
  end

  defp data_dir(w), do: w.device[:agent][:data_dir]

  defp flip_last_byte(bundle) do
    last = :binary.last(bundle)
    binary_part(bundle, 0, byte_size(bundle) - 1) <> <<Bitwise.bxor(last, 1)>>
  end

  # The same bundle with its envelope re-signed by `signer` with `chain`.
  defp resign(bundle, signer, chain) do
    <<"DOTABNDL", 1::16, length::32, envelope::binary-size(length), rest::binary>> = bundle
    {:dala_ota_signed, 1, :manifest, payload, _, _} = :erlang.binary_to_term(envelope)
    forged = Forge.sign(:manifest, payload, [signer], chain)
    <<"DOTABNDL", 1::16, byte_size(forged)::32, forged::binary, rest::binary>>
  end
end
