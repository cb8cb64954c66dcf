defmodule DalaOta.CheckinTest do
  use ExUnit.Case, async: true

  alias DalaOta.Checkin
  alias DalaOta.Test.Forge

  @now 1_780_000_000

  setup do
    trust = Forge.trust()
    ctx = %{crypto: DalaOta.Crypto.Otp, pinned: [trust.root.public], now: @now}

    device = %{
      install_id: "install-0001",
      now: @now,
      clock_skew: 60,
      last_issued_at: 0,
      revocations_version: -1
    }

    manifest = Forge.manifest([{"a", "1"}], sequence: 3, now: @now)
    envelope = Forge.signed_manifest(trust, manifest)
    update = Forge.update(manifest, envelope, "bundle")
    {:ok, trust: trust, ctx: ctx, device: device, update: update}
  end

  test "the request is a flat ETF map the server's reader takes" do
    body =
      Checkin.request(%{
        channel_key: "ck_x",
        install_id: "i",
        current_sequence: 0,
        session_key: nil,
        extra: 1
      })

    assert :erlang.binary_to_term(body) == %{
             channel_key: "ck_x",
             install_id: "i",
             current_sequence: 0
           }
  end

  test "a fresh answer with no update", %{trust: t, ctx: c, device: d} do
    answer = Forge.checkin_answer(t, :none, issued_at: @now - 5)

    assert {:ok, %{decision: :none, reason: "up_to_date", issued_at: issued, root_version: 1}} =
             Checkin.verify(answer, c, d)

    assert issued == @now - 5
  end

  test "an update for this device, with its session", %{trust: t, ctx: c, device: d, update: u} do
    session = %{
      protocol: 1,
      id: :binary.copy(<<7>>, 16),
      server_node: "ota@h.example",
      device_node: "dala_x@device.invalid",
      server_key: :binary.copy(<<9>>, 32),
      expires_at: @now + 120
    }

    answer =
      Forge.checkin_answer(t, {:update, Map.put(u, :session, session)},
        issued_at: @now,
        install_id: "install-0001"
      )

    assert {:ok, %{decision: :update, update: %{sequence: 3, session: %{id: <<7, _::binary>>}}}} =
             Checkin.verify(answer, c, d)
  end

  test "freeze and replay: expired, from the future, older than the last one accepted", %{
    trust: t,
    ctx: c,
    device: d
  } do
    assert Checkin.verify(
             Forge.checkin_answer(t, :none, issued_at: @now - 300, expires_at: @now - 180),
             c,
             d
           ) == {:error, [:checkin_expired]}

    assert Checkin.verify(Forge.checkin_answer(t, :none, issued_at: @now + 61), c, d) ==
             {:error, [:checkin_not_yet_valid]}

    assert Checkin.verify(Forge.checkin_answer(t, :none, issued_at: @now - 10), c, %{
             d
             | last_issued_at: @now - 9
           }) == {:error, [:checkin_replayed]}

    # Within the skew, and the very answer accepted last, are fine.
    assert {:ok, _} =
             Checkin.verify(
               Forge.checkin_answer(t, :none, issued_at: @now - 130, expires_at: @now - 10),
               c,
               %{d | last_issued_at: @now - 130}
             )
  end

  test "an update written for another install", %{trust: t, ctx: c, device: d, update: u} do
    answer = Forge.checkin_answer(t, {:update, u}, issued_at: @now, install_id: "install-0002")
    assert Checkin.verify(answer, c, d) == {:error, [:checkin_for_another_device]}
  end

  test "an answer signed by the release key instead of the session key", %{
    trust: t,
    ctx: c,
    device: d
  } do
    answer =
      Forge.checkin_answer(t, :none, issued_at: @now, signer: t.release, cert: t.release_cert)

    assert Checkin.verify(answer, c, d) == {:error, [:wrong_role]}
  end

  test "a manifest's signature cannot be replayed as an answer", %{trust: t, ctx: c, device: d} do
    {:dala_ota_signed, 1, :manifest, payload, sigs, chain} =
      :erlang.binary_to_term(Forge.signed_manifest(t, %{format: 1}))

    disguised = Forge.encode({:dala_ota_signed, 1, :checkin_response, payload, sigs, chain})
    assert {:error, problems} = Checkin.verify(disguised, c, d)
    assert :wrong_role in problems and :signature_invalid in problems
  end

  describe "revocation lists" do
    test "a newer list is taken, an older one ignored", %{trust: t, ctx: c, device: d} do
      list = Forge.revocations(t.root, 3, ["ab"])

      assert {:ok, %{revocations: %{version: 3, revoked: revoked}}} =
               Checkin.verify(
                 Forge.checkin_answer(t, :none, issued_at: @now, revocations: list),
                 c,
                 d
               )

      assert MapSet.member?(revoked, "ab")

      assert {:ok, %{revocations: nil}} =
               Checkin.verify(
                 Forge.checkin_answer(t, :none, issued_at: @now, revocations: list),
                 c,
                 %{d | revocations_version: 3}
               )
    end

    test "a list revoking the very key that signed the answer", %{trust: t, ctx: c, device: d} do
      list = Forge.revocations(t.root, 1, [t.session.id])

      assert Checkin.verify(
               Forge.checkin_answer(t, :none, issued_at: @now, revocations: list),
               c,
               d
             ) == {:error, [:role_key_revoked]}
    end

    test "a list not signed by the root", %{trust: t, ctx: c, device: d} do
      list = Forge.revocations(Forge.random_key(), 1, [])

      assert Checkin.verify(
               Forge.checkin_answer(t, :none, issued_at: @now, revocations: list),
               c,
               d
             ) == {:error, [:revocation_list_invalid]}
    end
  end

  test "a signed answer of the wrong shape", %{trust: t, ctx: c, device: d} do
    bad =
      Forge.sign(
        :checkin_response,
        %{format: 1, issued_at: @now},
        [t.session],
        t.roots ++ [t.session_cert]
      )

    assert Checkin.verify(bad, c, d) == {:error, [:malformed_checkin]}

    bad_update =
      Forge.checkin_answer(t, {:update, %{sequence: 1}},
        issued_at: @now,
        install_id: "install-0001"
      )

    assert Checkin.verify(bad_update, c, d) == {:error, [:malformed_checkin]}
  end
end
