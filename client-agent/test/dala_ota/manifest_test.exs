defmodule DalaOta.ManifestTest do
  use ExUnit.Case, async: true

  alias DalaOta.Manifest
  alias DalaOta.Test.Forge

  @now 1_780_000_000

  setup do
    trust = Forge.trust()
    ctx = %{crypto: DalaOta.Crypto.Otp, pinned: [trust.root.public], now: @now}

    device = %{
      floor: 1,
      now: @now,
      app: "com.example.test",
      base: Forge.base(),
      agent_version: "0.1.0",
      clock_skew: 300
    }

    {:ok, trust: trust, ctx: ctx, device: device}
  end

  defp verify(trust, ctx, device, opts) do
    manifest =
      Forge.manifest(
        [{"Elixir.A", "a"}, {"b", "bb"}],
        Keyword.merge([sequence: 2, now: @now], opts)
      )

    Manifest.verify(Forge.signed_manifest(trust, manifest), ctx, device)
  end

  test "a good manifest decodes into its fields", %{trust: t, ctx: c, device: d} do
    assert {:ok,
            %Manifest{
              sequence: 2,
              apply_mode: :hot,
              modules: [%{name: "Elixir.A", size: 1}, %{name: "b"}]
            }, _} = verify(t, c, d, [])
  end

  test "every device check is reported together", %{trust: t, ctx: c, device: d} do
    opts = [
      sequence: 1,
      app: "other.app",
      expires_at: @now - 1,
      issued_at: @now - 100,
      bases: [%{Forge.base() | fingerprint: "ff"}],
      min_agent_version: "9.0.0"
    ]

    assert verify(t, c, d, opts) ==
             {:error,
              [
                :app_mismatch,
                :sequence_not_higher,
                :manifest_expired,
                :base_incompatible,
                :agent_too_old
              ]}
  end

  test "a manifest issued further ahead than the clock skew allows", %{
    trust: t,
    ctx: c,
    device: d
  } do
    assert verify(t, c, d, issued_at: @now + 301, expires_at: @now + 1000) ==
             {:error, [:manifest_not_yet_valid]}
  end

  test "issued-at within the allowed clock skew is fine", %{trust: t, ctx: c, device: d} do
    assert {:ok, _, _} = verify(t, c, d, issued_at: @now + 200)
  end

  test "an unsigned draft is refused", %{trust: t, ctx: c, device: d} do
    draft =
      Forge.encode(
        {:dala_ota_signed, 1, :manifest,
         Forge.encode(Forge.manifest([{"a", "a"}], sequence: 0, now: @now)), [], []}
      )

    assert Manifest.verify(draft, c, d) == {:error, [:unsigned]}
    assert t
  end

  test "a signed payload of the wrong shape is a malformed manifest", %{
    trust: t,
    ctx: c,
    device: d
  } do
    good = Forge.manifest([{"a", "a"}, {"b", "b"}], sequence: 2, now: @now)

    for bad <- [
          %{good | modules: Enum.reverse(good.modules)},
          %{good | modules: good.modules ++ [hd(good.modules)]},
          %{good | apply_mode: :sometimes},
          %{good | min_agent_version: "one"},
          %{good | expires_at: good.issued_at},
          Map.delete(good, :bases),
          %{good | modules: [%{hd(good.modules) | sha256: "short"}]}
        ] do
      assert Manifest.verify(Forge.signed_manifest(t, bad), c, d) ==
               {:error, [:malformed_manifest]},
             inspect(bad, limit: 5)
    end
  end

  test "the format's caps: text, module names and bases", %{trust: t, ctx: c, device: d} do
    assert Manifest.limits() == %{text: 256, name: 1020, bases: 64, modules: 10_000}
    good = Forge.manifest([{"a", "a"}], sequence: 2, now: @now)
    other = fn n -> %{Forge.base() | fingerprint: "f#{n}"} end

    for fine <- [
          %{good | label: String.duplicate("l", 256)},
          %{good | bases: [Forge.base() | for(n <- 1..63, do: other.(n))]},
          %{good | modules: [%{hd(good.modules) | name: String.duplicate("m", 1020)}]}
        ] do
      assert {:ok, _, _} = Manifest.verify(Forge.signed_manifest(t, fine), c, d)
    end

    for bad <- [
          %{good | label: String.duplicate("l", 257)},
          %{good | app: String.duplicate("a", 257)},
          %{good | bases: [Forge.base() | for(n <- 1..64, do: other.(n))]},
          %{good | modules: [%{hd(good.modules) | name: String.duplicate("m", 1021)}]}
        ] do
      assert Manifest.verify(Forge.signed_manifest(t, bad), c, d) ==
               {:error, [:malformed_manifest]},
             inspect(bad, limit: 5, printable_limit: 20)
    end
  end

  test "a bundle that would replace the agent, OTP or Elixir is refused before any download",
       %{trust: t, ctx: c, device: d} do
    modules = [
      {"Elixir.DalaOta.Trust", "x"},
      {"Elixir.Kernel", "x"},
      {"erlang", "x"},
      {"lists", "x"},
      {"Elixir.MyApp.Screen", "x"},
      {"dala_ota_crypto", "x"}
    ]

    manifest = Forge.manifest(modules, sequence: 2, now: @now)

    assert Manifest.verify(Forge.signed_manifest(t, manifest), c, d) ==
             {:error,
              [
                {:reserved_modules,
                 ["Elixir.DalaOta.Trust", "Elixir.Kernel", "dala_ota_crypto", "erlang", "lists"]}
              ]}
  end

  test "a module name that is no atom yet is not reserved, and stays no atom" do
    name = "ota_never_seen_#{System.unique_integer([:positive])}"
    refute DalaOta.Loader.reserved_name?(name)
    assert_raise ArgumentError, fn -> :erlang.binary_to_existing_atom(name, :utf8) end
    assert DalaOta.Loader.reserved_name?("dala_ota_not_yet_an_atom_#{System.unique_integer()}")
  end

  test "versions compare numerically" do
    assert Manifest.compare_versions("0.10.0", "0.9.9") == :gt
    assert Manifest.compare_versions("1.0.0", "1.0.0") == :eq
    assert Manifest.compare_versions("1.0", "1.0.0") == nil
  end
end
