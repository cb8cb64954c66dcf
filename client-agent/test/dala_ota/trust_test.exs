defmodule DalaOta.TrustTest do
  use ExUnit.Case, async: true

  alias DalaOta.{Signed, Trust}
  alias DalaOta.Test.Forge

  @now 1_780_000_000

  setup do
    trust = Forge.trust()

    {:ok,
     trust: trust, ctx: %{crypto: DalaOta.Crypto.Otp, pinned: [trust.root.public], now: @now}}
  end

  defp manifest_doc(trust, opts \\ []) do
    Forge.signed_manifest(trust, Forge.manifest([{"m", "bytes"}], sequence: 2, now: @now), opts)
  end

  test "a well-signed document verifies and keeps its payload bytes", %{trust: trust, ctx: ctx} do
    doc = manifest_doc(trust)
    assert {:ok, verified} = Trust.verify(doc, :manifest, :release, ctx)
    assert {:ok, %{sequence: 2}} = Trust.decode_payload(verified.payload)
    assert verified.root.version == 1
  end

  describe "the container" do
    test "truncated, trailing or non-canonical bytes are malformed", %{trust: trust, ctx: ctx} do
      doc = manifest_doc(trust)

      assert Trust.verify(binary_part(doc, 0, byte_size(doc) - 1), :manifest, :release, ctx) ==
               {:error, [:malformed_document]}

      assert Trust.verify(doc <> <<0>>, :manifest, :release, ctx) ==
               {:error, [:malformed_document]}

      # OTP 25's default encoding writes atoms as ATOM_EXT; signed documents never do.
      legacy = :erlang.term_to_binary(:erlang.binary_to_term(doc), minor_version: 1)
      assert Trust.verify(legacy, :manifest, :release, ctx) == {:error, [:malformed_document]}

      assert Signed.parse(
               :erlang.term_to_binary({:dala_ota_signed, 1, :other_kind, "", [], []},
                 minor_version: 2
               )
             ) ==
               {:error, :malformed_document}
    end

    test "at most 4 signatures and 32 chain links, as the format allows", %{trust: trust} do
      assert Signed.limits() == %{signatures: 4, chain: 32}
      doc = fn sigs, links -> Forge.encode({:dala_ota_signed, 1, :manifest, "p", sigs, links}) end
      sig = {String.duplicate("0", 64), <<0::512>>}
      link = hd(trust.roots)

      assert {:ok, %Signed{signatures: [_, _, _, _], chain: chain}} =
               Signed.parse(doc.(List.duplicate(sig, 4), List.duplicate(link, 32)))

      assert length(chain) == 32

      assert Signed.parse(doc.(List.duplicate(sig, 5), [])) == {:error, :malformed_document}

      assert Signed.parse(doc.([sig], List.duplicate(link, 33))) ==
               {:error, :malformed_document}
    end

    test "the signing input separates kinds" do
      assert Signed.signing_input(:manifest, "p") == "dala-ota/v1/manifest\0p"
      assert Signed.signing_input(:checkin_response, "p") == "dala-ota/v1/checkin_response\0p"
    end

    test "a document of another kind is refused even when well signed", %{trust: trust, ctx: ctx} do
      doc =
        Forge.sign(
          :checkin_response,
          %{format: 1},
          [trust.release],
          trust.roots ++ [trust.release_cert]
        )

      assert Trust.verify(doc, :manifest, :release, ctx) == {:error, [:wrong_document_kind]}
    end
  end

  describe "the root chain" do
    test "a chain from an unpinned root", %{trust: trust, ctx: ctx} do
      assert Trust.verify(manifest_doc(trust), :manifest, :release, %{
               ctx
               | pinned: [Forge.random_key().public]
             }) ==
               {:error, [:root_not_pinned]}
    end

    test "a rotation N to N+1 signed by both keys is followed, and certificates come from the newest root",
         %{trust: trust, ctx: ctx} do
      root2 = Forge.random_key()
      release2 = Forge.random_key()
      roots = trust.roots ++ [Forge.root(root2, 2, trust.root)]
      cert2 = Forge.certificate(root2, release2, :release, root_version: 2)
      manifest = Forge.manifest([{"m", "b"}], sequence: 2, now: @now)

      assert {:ok, %{root: %{version: 2}}} =
               Trust.verify(
                 Forge.signed_manifest(trust, manifest,
                   signer: release2,
                   cert: cert2,
                   roots: roots
                 ),
                 :manifest,
                 :release,
                 ctx
               )

      # The old root's certificate is no longer trusted once the chain reaches root 2.
      assert Trust.verify(
               Forge.signed_manifest(trust, manifest, roots: roots),
               :manifest,
               :release,
               ctx
             ) ==
               {:error, [:certificate_not_trusted]}
    end

    test "root N+1 must be signed by root N and by itself, and be the next version", %{
      trust: trust,
      ctx: ctx
    } do
      root2 = Forge.random_key()
      manifest = Forge.manifest([{"m", "b"}], sequence: 2, now: @now)

      for bad <- [
            Forge.root(root2, 2),
            Forge.sign(
              :root,
              %{format: 1, version: 2, public_key: root2.public, key_id: root2.id},
              [trust.root]
            ),
            Forge.root(root2, 3, trust.root)
          ] do
        doc = Forge.signed_manifest(trust, manifest, roots: trust.roots ++ [bad])
        assert Trust.verify(doc, :manifest, :release, ctx) == {:error, [:root_chain_broken]}
      end
    end

    test "a chain that stops below the root floor is refused", %{trust: trust, ctx: ctx} do
      assert Trust.verify(
               manifest_doc(trust),
               :manifest,
               :release,
               Map.put(ctx, :min_root_version, 2)
             ) == {:error, [:root_superseded]}
    end
  end

  describe "the certificate" do
    test "missing, or signed by someone else", %{trust: trust, ctx: ctx} do
      manifest = Forge.manifest([{"m", "b"}], sequence: 2, now: @now)
      no_cert = Forge.sign(:manifest, manifest, [trust.release], trust.roots)
      assert Trust.verify(no_cert, :manifest, :release, ctx) == {:error, [:certificate_missing]}
      forged = Forge.certificate(Forge.random_key(), trust.release, :release)

      assert Trust.verify(
               Forge.signed_manifest(trust, manifest, cert: forged),
               :manifest,
               :release,
               ctx
             ) == {:error, [:certificate_not_trusted]}
    end

    test "role, validity window and revocation are all reported together", %{
      trust: trust,
      ctx: ctx
    } do
      cert =
        Forge.certificate(trust.root, trust.release, :session,
          not_before: @now - 100,
          not_after: @now - 10
        )

      doc =
        Forge.signed_manifest(trust, Forge.manifest([{"m", "b"}], sequence: 2, now: @now),
          cert: cert
        )

      ctx = Map.put(ctx, :revoked, MapSet.new([trust.release.id]))

      assert Trust.verify(doc, :manifest, :release, ctx) ==
               {:error, [:wrong_role, :role_key_expired, :role_key_revoked]}
    end

    test "not yet valid", %{trust: trust, ctx: ctx} do
      cert = Forge.certificate(trust.root, trust.release, :release, not_before: @now + 100)

      doc =
        Forge.signed_manifest(trust, Forge.manifest([{"m", "b"}], sequence: 2, now: @now),
          cert: cert
        )

      assert Trust.verify(doc, :manifest, :release, ctx) == {:error, [:role_key_not_yet_valid]}
    end

    test "a revocation list not signed by the chain's root is invalid", %{trust: trust, ctx: ctx} do
      list = Forge.revocations(Forge.random_key(), 1, [])

      assert Trust.verify(
               manifest_doc(trust),
               :manifest,
               :release,
               Map.put(ctx, :revocation_list, list)
             ) == {:error, [:revocation_list_invalid]}

      good = Forge.revocations(trust.root, 1, [trust.release.id])

      assert Trust.verify(
               manifest_doc(trust),
               :manifest,
               :release,
               Map.put(ctx, :revocation_list, good)
             ) == {:error, [:role_key_revoked]}
    end
  end

  describe "the signature" do
    test "by a key the certificate does not name", %{trust: trust, ctx: ctx} do
      doc =
        Forge.signed_manifest(trust, Forge.manifest([{"m", "b"}], sequence: 2, now: @now),
          signer: Forge.random_key()
        )

      assert Trust.verify(doc, :manifest, :release, ctx) == {:error, [:signer_not_certified]}
    end

    test "over other bytes, or none at all", %{trust: trust, ctx: ctx} do
      {:dala_ota_signed, 1, :manifest, payload, sigs, chain} =
        :erlang.binary_to_term(manifest_doc(trust))

      tampered =
        Forge.encode(
          {:dala_ota_signed, 1, :manifest, payload <> "",
           Enum.map(sigs, fn {id, <<b, rest::binary>>} ->
             {id, <<Bitwise.bxor(b, 1), rest::binary>>}
           end), chain}
        )

      assert Trust.verify(tampered, :manifest, :release, ctx) == {:error, [:signature_invalid]}
      unsigned = Forge.encode({:dala_ota_signed, 1, :manifest, payload, [], chain})
      assert Trust.verify(unsigned, :manifest, :release, ctx) == {:error, [:unsigned]}
    end
  end

  test "every atom a document may hold exists before any payload is decoded" do
    for atom <- Trust.document_atoms(), do: assert(is_atom(atom))
    assert :root_version in Trust.document_atoms()
  end
end
