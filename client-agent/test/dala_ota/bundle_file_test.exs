defmodule DalaOta.BundleFileTest do
  use ExUnit.Case, async: true

  alias DalaOta.{Bundle, BundleFile}
  alias DalaOta.Test.Forge

  @limits %{
    max_envelope_bytes: 1024,
    max_modules: 3,
    max_module_bytes: 100,
    max_bundle_bytes: 400
  }

  defp read(bytes, limits \\ @limits) do
    BundleFile.read(
      {:binary, bytes},
      limits,
      fn _ -> :cont end,
      fn name, b, acc -> [{name, b} | acc] end,
      []
    )
  end

  test "reads the envelope and each module in order" do
    assert read(Forge.bundle("env", [{"a", "1"}, {"b", "22"}])) ==
             {:ok, "env", [{"b", "22"}, {"a", "1"}]}
  end

  test "each cap is checked before the bytes a length describes are read" do
    # The lengths below claim far more than the file holds: a cap error, not a truncation,
    # shows the cap was applied first.
    huge_envelope = "DOTABNDL" <> <<1::16, 0xFFFFFFFF::32>>

    assert {:error, {:malformed_bundle, "an envelope of 4294967295 bytes exceeds 1024"}} =
             read(huge_envelope)

    many = "DOTABNDL" <> <<1::16, 3::32>> <> "env" <> <<0xFFFFFFFF::32>>
    assert {:error, {:malformed_bundle, "4294967295 modules exceed the limit of 3"}} = read(many)

    big_module =
      "DOTABNDL" <> <<1::16, 3::32>> <> "env" <> <<1::32, 1::16>> <> "a" <> <<0xFFFFFFF0::32>>

    assert {:error, {:malformed_bundle, "module a of 4294967280 bytes exceeds 100"}} =
             read(big_module)

    total = Forge.bundle("env", for(n <- 1..3, do: {"m#{n}", String.duplicate("x", 100)}))

    assert {:error, {:malformed_bundle, "the bundle exceeds 300 bytes"}} =
             read(total, %{@limits | max_bundle_bytes: 300})
  end

  test "framing errors" do
    good = Forge.bundle("env", [{"a", "1"}])

    assert {:error, {:malformed_bundle, "not a bundle file (bad magic)"}} =
             read("NOTABNDL" <> binary_part(good, 8, byte_size(good) - 8))

    assert {:error, {:malformed_bundle, "unsupported bundle format 2"}} =
             read("DOTABNDL" <> <<2::16>> <> binary_part(good, 10, byte_size(good) - 10))

    assert {:error, {:malformed_bundle, "the bundle is truncated" <> _}} =
             read(binary_part(good, 0, byte_size(good) - 1))

    assert {:error, {:malformed_bundle, "bytes follow the last module"}} = read(good <> "x")

    assert {:error, {:malformed_bundle, "module a appears twice"}} =
             read(Forge.bundle("env", [{"a", "1"}, {"a", "2"}]))

    assert {:error, {:malformed_bundle, "a module name of 0 bytes"}} =
             read(Forge.bundle("env", [{"", "1"}]))

    assert {:error, {:malformed_bundle, "a module name is not UTF-8"}} =
             read(Forge.bundle("env", [{<<0xFF>>, "1"}]))

    # Names up to the manifest format's 1020 bytes, and not one more.
    longest = String.duplicate("n", 1020)
    roomy = %{@limits | max_bundle_bytes: 4096}

    assert {:ok, "env", [{^longest, "1"}]} = read(Forge.bundle("env", [{longest, "1"}]), roomy)

    assert {:error, {:malformed_bundle, "a module name of 1021 bytes"}} =
             read(Forge.bundle("env", [{longest <> "n", "1"}]), roomy)
  end

  test "an envelope that does not verify stops the read before any module" do
    trust = Forge.trust()

    ctx = %{
      crypto: DalaOta.Crypto.Otp,
      pinned: [Forge.random_key().public],
      now: :os.system_time(:second)
    }

    env = Forge.signed_manifest(trust, Forge.manifest([{"a", "1"}], sequence: 2))
    # The module part is garbage: it is never looked at.
    bytes = Forge.bundle(env, []) |> binary_part(0, 14 + byte_size(env)) |> Kernel.<>("garbage")
    limits = %{@limits | max_envelope_bytes: 1_000_000, max_bundle_bytes: 2_000_000}

    assert Bundle.verify({:binary, bytes}, ctx, %{floor: 0, now: ctx.now}, limits) ==
             {:error, [:root_not_pinned]}
  end

  test "module problems: missing, unexpected, size and hash; a delta may omit modules" do
    trust = Forge.trust()

    ctx = %{
      crypto: DalaOta.Crypto.Otp,
      pinned: [trust.root.public],
      now: :os.system_time(:second)
    }

    # Not "c": that is OTP's shell module, which no bundle may replace.
    manifest = Forge.manifest([{"a", "1"}, {"b", "22"}, {"m", "333"}], sequence: 2)
    env = Forge.signed_manifest(trust, manifest)
    limits = %{@limits | max_envelope_bytes: 1_000_000, max_bundle_bytes: 2_000_000}
    device = %{floor: 0, now: ctx.now}
    bytes = Forge.bundle(env, [{"a", "X"}, {"b", "2"}, {"z", "0"}])

    assert Bundle.verify({:binary, bytes}, ctx, device, limits) ==
             {:error,
              [
                {:module_hash_mismatch, "a"},
                {:module_size_mismatch, "b"},
                {:module_unexpected, "z"},
                {:module_missing, "m"}
              ]}

    delta = Forge.bundle(env, [{"b", "22"}])
    assert {:ok, _, %{}} = Bundle.verify({:binary, delta}, ctx, device, limits, partial: true)
    sha = :crypto.hash(:sha256, "22")

    assert {:ok, _, %{^sha => "22"}} =
             Bundle.verify({:binary, delta}, ctx, device, limits,
               partial: true,
               keep: &(&1.name == "b")
             )

    assert {:error, [:manifest_not_offered]} =
             Bundle.verify({:binary, delta}, ctx, device, limits,
               partial: true,
               expect_envelope: "other"
             )
  end
end
