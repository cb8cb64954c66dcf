defmodule DalaOta.InstalledTest do
  use ExUnit.Case, async: true

  alias DalaOta.{Installed, Manifest}
  alias DalaOta.Test.DeviceFixture, as: F

  @moduletag :tmp_dir

  defp manifest(release) do
    ctx = %{
      crypto: DalaOta.Crypto.Otp,
      pinned: [release.trust.root.public],
      now: :os.system_time(:second)
    }

    {:ok, m, _} = Manifest.verify(release.envelope, ctx, %{floor: 0, now: ctx.now})
    m
  end

  test "a new bundle takes changed modules from the download and the rest from the running bundle",
       %{tmp_dir: dir} do
    [a, b] = F.modules(2)
    v1 = F.release(1, [{a, 1}, {b, 1}])
    F.install(dir, v1)
    v2 = F.release(2, [{a, 2}, {b, 1}])
    [{_, a2}, _] = v2.modules
    st = F.st(dir)

    assert Installed.install(
             st,
             DalaOta.Crypto.Otp,
             manifest(v2),
             v2.envelope,
             %{:crypto.hash(:sha256, a2) => a2},
             [1]
           ) == :ok

    assert {:ok, _meta, [{%{name: _}, ^a2}, {_, b1}]} = Installed.modules(st, 2)
    assert b1 == elem(Enum.at(v1.modules, 1), 1)
    assert {:ok, _} = File.read(Path.join([dir, "2", "manifest.etf"]))
  end

  test "a module that matches neither download nor installed bundle stops the install and leaves nothing",
       %{tmp_dir: dir} do
    [a] = F.modules(1)
    v2 = F.release(2, [{a, 2}])
    st = F.st(dir)

    assert {:error, {:module_unavailable, _}} =
             Installed.install(st, DalaOta.Crypto.Otp, manifest(v2), v2.envelope, %{}, [1])

    assert {:error, {:module_hash_mismatch, _}} =
             Installed.install(
               st,
               DalaOta.Crypto.Otp,
               manifest(v2),
               v2.envelope,
               %{hd(manifest(v2).modules).sha256 => "wrong"},
               []
             )

    refute File.exists?(Path.join(dir, "2"))
  end

  test "prune keeps only the named bundles", %{tmp_dir: dir} do
    [a] = F.modules(1)
    for seq <- 1..3, do: F.install(dir, F.release(seq, [{a, seq}]))
    Installed.prune(F.st(dir), [3, 2])
    assert Enum.sort(File.ls!(dir) -- ["current", "events"]) == ["2", "3"]
  end
end
